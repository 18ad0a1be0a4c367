// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.OpenAI;
using LlmAdapters.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.EndToEnd.Tests.Readme;

/// <summary>
/// The README's "Use it" snippets, kept here so that they compile and run: the configuration file is the README's JSON
/// block (copied to Readme/readme-appsettings.json, a test checks they are the same), pointed at the emulator.
/// </summary>
public sealed class ReadmeSnippetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ReadmeJson_IsTheFileTheTestsUse()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Readme", "readme-appsettings.json")).ReplaceLineEndings("\n");
        Assert.Contains("```json\n" + json + "```", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseIt_ConfiguredClients_AsTheReadmeShows()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Readme", "readme-appsettings.json"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-readme-test-000000000000000000",
        });

        // README, "Use it":
        // The configured pipeline already logs and traces (Logging and OpenTelemetry stages): add only what it lacks.
        builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"))
            .ConfigureOptions(options => options.TopP ??= 0.5f);   // your own middleware goes around the configured pipeline

        await using var app = builder.Build();
        IChatClient chat = app.Services.GetRequiredService<IChatClient>();                       // the "default" client
        IChatClient welcome = app.Services.GetRequiredKeyedService<IChatClient>("welcome");     // a named client

        Assert.Empty(app.Services.GetRequiredService<Hosting.ConfiguredChatClients>().Validate());
        var reply = await welcome.GetResponseAsync("Hello", cancellationToken: Ct);
        Assert.StartsWith("You said \"Hello\".", reply.Text, StringComparison.Ordinal);
        Assert.Contains("\"max_completion_tokens\":120", emulator.Requests[^1].Body, StringComparison.Ordinal);
        Assert.Contains("\"model\":\"gpt-4o-mini\"", emulator.Requests[^1].Body, StringComparison.Ordinal);

        // The returned builder is the default client's: its own middleware (TopP) applies to that client.
        await chat.GetResponseAsync("Hello", cancellationToken: Ct);
        Assert.Contains("\"top_p\":0.5", emulator.Requests[^1].Body, StringComparison.Ordinal);
        Assert.NotNull(chat.GetService<ChatClientMetadata>());
    }

    [Fact]
    public async Task ReadmeJson_SwitchedToAnthropicByProviderAlone_SendsAnthropicsDefaultModel()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Readme", "readme-appsettings.json"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "anthropic",
            ["AI:Endpoint"] = emulator.AnthropicEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-ant-readme-test-000000000000000",
        });
        builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
        await using var app = builder.Build();

        var reply = await app.Services.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: Ct);

        Assert.StartsWith("You said \"Hello\".", reply.Text, StringComparison.Ordinal);
        Assert.Equal("anthropic", emulator.Requests[^1].Dialect);
        Assert.Contains("\"model\":\"claude-", emulator.Requests[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseIt_ClientBuiltInCode_AsTheReadmeShows()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var httpClient = new HttpClient();

        // README, "Or build a client in code" (the endpoint is the emulator's instead of a local vLLM):
        IChatClient client = new OpenAICompatibleChatClient(new() { Endpoint = emulator.OpenAIEndpoint, ProviderName = "vllm", Model = "qwen3" }, httpClient)
            .AsBuilder()
            .UseRetry()
            .UseFunctionInvocation()
            .Build();

        emulator.Faults.Enqueue(EmulatorFault.Status(503));
        var reply = await client.GetResponseAsync("Hello", cancellationToken: Ct);
        Assert.StartsWith("You said \"Hello\".", reply.Text, StringComparison.Ordinal);
        Assert.Equal(2, emulator.RequestCount);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Adapters.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Adapters.sln not found above " + AppContext.BaseDirectory);
    }
}

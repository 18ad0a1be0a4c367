// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting.Tests.Configuration;

/// <summary>
/// <c>MaxResponseBytes</c> as a configuration key of every provider (issue 13): bad values are validation errors naming the
/// key path, collected with the others; a small cap turns a larger answer of the emulator into the taxonomy error.
/// </summary>
public sealed class MaxResponseBytesConfigurationTests
{
    public static TheoryData<string> Providers => ["openai", "vllm", "dashscope", "anthropic", "gemini", "ollama", "dashscope-native"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every client has its key in configuration (AI:ApiKey), so no environment variable is read.
    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Client(string provider, Uri endpoint) => new()
    {
        ["AI:Provider"] = provider,
        ["AI:Endpoint"] = endpoint.ToString(),
        ["AI:Model"] = "test-model",
        ["AI:ApiKey"] = "test-key-0000000000",
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Validate_ValidValue_IsAKnownKeyOfEveryProvider(string provider)
    {
        var values = Client(provider, new Uri("http://localhost:9/"));
        values["AI:MaxResponseBytes"] = "1048576";
        values["AI:Clients:small:MaxResponseBytes"] = "1024";
        values["AI:Clients:large:MaxResponseBytes"] = "1073741824";
        using var services = Build(values);

        Assert.Empty(services.GetRequiredService<ConfiguredChatClients>().Validate());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1023")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1073741825")]
    [InlineData("1e6")]
    [InlineData("99999999999999999999999")]
    [InlineData("32MiB")]
    public void Validate_BadValue_IsAnErrorNamingTheKeyPath_CollectedWithTheOtherKeyErrors(string value)
    {
        foreach (var provider in new[] { "openai", "anthropic", "gemini", "ollama", "dashscope-native" })
        {
            var values = Client(provider, new Uri("http://localhost:9/"));
            values["AI:Clients:chat:MaxResponseBytes"] = value;
            values["AI:Clients:chat:MaxResponseByte"] = "2048"; // a typo is still an unknown key, reported with it
            using var services = Build(values);

            var errors = services.GetRequiredService<ConfiguredChatClients>().Validate();

            var error = Assert.Single(errors, e => e.StartsWith("AI:Clients:chat:MaxResponseBytes is '", StringComparison.Ordinal));
            Assert.Contains(value, error, StringComparison.Ordinal);
            Assert.Contains("1024 (1 KiB) to 1073741824 (1 GiB)", error, StringComparison.Ordinal);
            Assert.Contains(errors, e => e.StartsWith("AI:Clients:chat:MaxResponseByte is not a known key: did you mean 'MaxResponseBytes'?", StringComparison.Ordinal));
            var thrown = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IChatClient>("chat"));
            Assert.Contains(thrown.Failures, f => f.StartsWith("AI:Clients:chat:MaxResponseBytes", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SmallCap_LargerAnswer_IsTheOversizedBodyError(string provider)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var endpoint = provider switch
        {
            "anthropic" => emulator.AnthropicEndpoint,
            "gemini" => emulator.GeminiEndpoint,
            "ollama" => emulator.OllamaEndpoint,
            "dashscope-native" => emulator.DashScopeEndpoint,
            _ => emulator.OpenAIEndpoint,
        };
        var values = Client(provider, endpoint);
        values["AI:MaxResponseBytes"] = "1024";
        await using var services = Build(values);
        var client = services.GetRequiredService<IChatClient>();
        var prompt = "Hello";
        var text = string.Join(' ', Enumerable.Repeat("word", 400)); // an answer well over 1 KiB
        emulator.Replies.Enqueue(new EmulatorReply { Text = text });
        emulator.Replies.Enqueue(new EmulatorReply { Text = text });
        emulator.Replies.Enqueue(new EmulatorReply { Text = text });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(prompt, cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(prompt, cancellationToken: Ct))
            {
                _ = update;
            }
        });

        foreach (var error in new[] { ex, streamed })
        {
            Assert.Equal(ChatProviderErrorKind.Unknown, error.Kind);
            Assert.False(error.IsTransient);
            Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
        }

        // The same prompt passes under the default cap: the configured key is what failed it.
        var roomy = Client(provider, endpoint);
        await using var defaults = Build(roomy);
        var response = await defaults.GetRequiredService<IChatClient>().GetResponseAsync(prompt, cancellationToken: Ct);
        Assert.StartsWith("word word", response.Text, StringComparison.Ordinal);
        Assert.True(response.Text.Length > 1024);
    }
}

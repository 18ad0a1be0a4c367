// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Pipeline;

/// <summary>The resilience stages in configured pipelines, against the emulator.</summary>
public sealed class ConfiguredResiliencePipelineTests
{
    private static ChatMessage[] Prompt(string text = "hello") => [new ChatMessage(ChatRole.User, text)];

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));

        // The resilience stages are public and built in: no reflection over internal type names.
        Assert.Contains(services, d => d.ImplementationInstance is RetryChatPipelineStage);
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Base(EmulatorServer emulator) => new()
    {
        ["AI:Provider"] = "openai",
        ["AI:Model"] = "emulator-1",
        ["AI:ApiKey"] = "test-key",
        ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
        ["AI:Pipeline:Retry:BaseDelay"] = "20ms",
        ["AI:Pipeline:Retry:MaxDelay"] = "2s",
    };

    [Fact]
    public async Task DefaultPipeline_RetriesTransientFailure()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        emulator.Faults.Enqueue(EmulatorFault.Status(503));
        await using var services = Build(Base(emulator));
        var client = services.GetRequiredService<IChatClient>();

        var response = await client.GetResponseAsync(Prompt(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(2, emulator.RequestCount);
        Assert.NotNull(client.GetService<RetryChatClient>());
    }

    [Fact]
    public async Task RetryDisabled_NoRetry()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        emulator.Faults.Enqueue(EmulatorFault.Status(503));
        var values = Base(emulator);
        values["AI:Pipeline:Retry:Enabled"] = "false";
        await using var services = Build(values);
        var client = services.GetRequiredService<IChatClient>();

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(1, emulator.RequestCount);
        Assert.Null(client.GetService<RetryChatClient>());
    }

    [Fact]
    public async Task Fallback_NamedClient_ServesWhenPrimaryOverloaded()
    {
        await using var primary = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var backup = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        primary.Faults.Enqueue(new EmulatorFault { StatusCode = 529, Times = 3 });
        backup.Replies.Enqueue(new EmulatorReply { Text = "from backup" });
        var values = Base(primary);
        values["AI:Clients:main:Model"] = "emulator-1";
        values["AI:Clients:main:Pipeline:Fallback:Clients:0"] = "backup";
        values["AI:Clients:backup:Endpoint"] = backup.OpenAIEndpoint.ToString();
        await using var services = Build(values);
        var client = services.GetRequiredKeyedService<IChatClient>("main");

        var response = await client.GetResponseAsync(Prompt(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("from backup", response.Text);
        Assert.Equal("backup", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal(3, primary.RequestCount); // the primary's own retries come first
        Assert.Equal(1, backup.RequestCount);
    }

    [Fact]
    public async Task ApiKeys_TwoKeys_RotateRoundRobin()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var values = Base(emulator);
        values["AI:Pipeline:ApiKeys:0"] = "key-a";
        values["AI:Pipeline:ApiKeys:1"] = "key-b";
        await using var services = Build(values);
        var client = services.GetRequiredService<IChatClient>();

        await client.GetResponseAsync(Prompt(), cancellationToken: TestContext.Current.CancellationToken);
        await client.GetResponseAsync(Prompt(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, client.GetService<ApiKeyRotationChatClient>()?.KeyCount);
        Assert.Equal(["Bearer key-a", "Bearer key-b"], emulator.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task RateLimitAndTimeouts_ConfiguredStagesArePresent()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var values = Base(emulator);
        values["AI:Pipeline:RateLimit:MaxConcurrency"] = "2";
        values["AI:Pipeline:Timeout:Attempt"] = "30s";
        values["AI:Pipeline:Timeout:Total"] = "2m";
        await using var services = Build(values);
        var client = services.GetRequiredService<IChatClient>();

        await client.GetResponseAsync(Prompt(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, client.GetService<RateLimitingChatClient>()?.Limiter.MaxConcurrency);
        Assert.NotNull(client.GetService<TimeoutChatClient>());
    }

    [Fact]
    public async Task Validate_BadResilienceKeys_MessagesNameTheKeys()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var values = Base(emulator);
        values["AI:Pipeline:Retry:MaxAttempts"] = "zero";
        values["AI:Pipeline:Timeout:Total"] = "forever";
        values["AI:Clients:main:Model"] = "emulator-1";
        values["AI:Clients:main:Pipeline:Fallback:Clients:0"] = "main";
        await using var services = Build(values);

        var errors = services.GetRequiredService<ConfiguredChatClients>().Validate();

        Assert.Contains(errors, e => e.Contains("Pipeline:Retry:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Pipeline:Timeout:Total", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AI:Clients:main:Pipeline:Fallback:Clients:0", StringComparison.Ordinal) && e.Contains("itself", StringComparison.Ordinal));
    }
}

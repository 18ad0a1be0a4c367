// Licensed under the MIT License.

using System.ComponentModel;
using Microsoft.Extensions.AI;
using Xunit;

namespace LlmAdapters.TestUtilities;

/// <summary>
/// What every adapter must do, whatever its provider: answer, stream with exactly one usage report, run a tool loop
/// through <see cref="FunctionInvokingChatClient"/>, describe itself and honour cancellation. A provider's test project
/// subclasses it twice: once over the emulator (always run) and once against the real service, skipped unless the
/// provider's key is in the environment.
/// </summary>
/// <remarks>The prompts are written so that a real model and the emulator's deterministic model both satisfy them.</remarks>
public abstract class ChatClientConformanceTests
{
    /// <summary>Gets the provider name the adapter must report in <see cref="ChatClientMetadata"/>.</summary>
    protected abstract string ExpectedProviderName { get; }

    /// <summary>Gets the token that cancels the test.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates the adapter under test, or returns <see langword="null"/> (with a reason) when it cannot run here.</summary>
    /// <param name="skipReason">Why the test is skipped when no client is returned.</param>
    /// <returns>The adapter, or <see langword="null"/>.</returns>
    protected abstract IChatClient? CreateClient(out string skipReason);

    private IChatClient Client()
    {
        var client = CreateClient(out var reason);
        Assert.SkipWhen(client is null, reason);
        return client!;
    }

    [Fact]
    public async Task GetResponseAsync_SimplePrompt_ReturnsTextFinishAndUsage()
    {
        using var client = Client();
        var response = await client.GetResponseAsync("Say hello in one short sentence.", new ChatOptions { MaxOutputTokens = 200 }, Ct);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.InputTokenCount > 0, "input tokens");
        Assert.True(response.Usage?.OutputTokenCount > 0, "output tokens");
        Assert.False(string.IsNullOrEmpty(response.ModelId));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SimplePrompt_StreamsTextAndExactlyOneUsage()
    {
        using var client = Client();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Say hello in one short sentence.", new ChatOptions { MaxOutputTokens = 200 }, Ct))
        {
            updates.Add(update);
        }

        Assert.Contains(updates, u => u.Text.Length > 0);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        var response = updates.ToChatResponse();
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount > 0);
    }

    [Fact]
    public async Task ToolLoop_ThroughFunctionInvocation_UsesTheToolResult()
    {
        var calls = 0;
        var tool = AIFunctionFactory.Create(
            ([Description("The city")] string city) =>
            {
                calls++;
                return $"It is sunny and 21 degrees in {city}.";
            },
            "get_weather",
            "Gets the current weather of a city.");
        using var client = Client().AsBuilder().UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync(
            "Use the get_weather tool with city=Paris, then tell me the weather it reported.",
            new ChatOptions { Tools = [tool], MaxOutputTokens = 300 },
            Ct);

        Assert.True(calls >= 1, "the tool was not called");
        Assert.Contains("sunny", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.Name == "get_weather"));
    }

    [Fact]
    public void GetService_Metadata_NamesProviderAndModel()
    {
        using var client = Client();
        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(ExpectedProviderName, metadata.ProviderName);
        Assert.NotNull(metadata.ProviderUri);
        Assert.False(string.IsNullOrEmpty(metadata.DefaultModelId));
        Assert.Null(client.GetService<ChatClientMetadata>("a key"));
    }

    [Fact]
    public async Task Cancellation_BeforeTheCall_ThrowsOperationCanceled()
    {
        using var client = Client();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("Say hello.", cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("Say hello.", cancellationToken: cancelled.Token))
            {
            }
        });
    }
}

// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Hostile;

/// <summary>The hostile-provider suite on the OpenAI-compatible adapter.</summary>
public sealed class OpenAIHostileProviderTests : OpenAIDialectHostileProviderTests
{
    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { ProviderName = ProviderName, Endpoint = endpoint, ApiKey = apiKey, Model = "hostile-model" }, httpClient);

    // The configured pipeline runs the SDK path too (the default is native).
    protected override IReadOnlyDictionary<string, string?> PipelineSettings { get; } = new Dictionary<string, string?> { ["AI:Implementation"] = "sdk" };

    // Issue 20, N11: on a raw call too, a stream of SSE comments only times out (the SDK bounds each read, not each event).
    [Fact]
    public async Task Raw_Sdk_StreamOfCommentsOnly_TimesOut()
    {
        await using var server = HostileProviderServer.Start(HostileAnswer.Text(200, "text/event-stream", ": ping\n\n", cut: true) with { Trickle = System.Text.Encoding.UTF8.GetBytes(": ping\n\n") });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new OpenAICompatibleChatClient(
            new OpenAICompatibleChatClientOptions { ProviderName = ProviderName, Endpoint = Endpoint(server.BaseAddress), ApiKey = Key, Model = "hostile-model", NetworkTimeout = TimeSpan.FromSeconds(1) },
            http);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromMinutes(2)); // a hang guard only

        var thrown = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: guard.Token))
            {
                Assert.Fail("A comment is no update.");
            }
        });

        Assert.False(guard.IsCancellationRequested && !Ct.IsCancellationRequested, "The stream of comments never timed out.");
        Assert.Equal(ChatProviderErrorKind.Timeout, Assert.IsType<ChatProviderException>(thrown).Kind);
    }
}

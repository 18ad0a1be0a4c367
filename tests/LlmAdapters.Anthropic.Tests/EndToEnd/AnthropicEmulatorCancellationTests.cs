// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests.EndToEnd;

/// <summary>Cancellation mid-stream against a slow emulator: the connection goes back to the pool.</summary>
public sealed class AnthropicEmulatorCancellationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(200) }, Ct);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Streaming_CancelledMidStream_ReleasesTheOnlyConnection()
    {
        // One connection per server: if cancellation left it busy, the next request could never be sent.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler);
        using var client = new AnthropicChatClient(new AnthropicChatClientOptions { Endpoint = _server.AnthropicEndpoint, ApiKey = ApiKey, Model = "claude-emulator-1" }, http);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Tell me a long story", cancellationToken: cts.Token))
            {
                if (update.Contents.OfType<TextContent>().Any() && ++received == 1)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(1, received);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var next = await client.GetResponseAsync("Hi", cancellationToken: deadline.Token);
        Assert.StartsWith("You said \"Hi\"", next.Text, StringComparison.Ordinal);
        Assert.Equal(2, _server.RequestCount);
    }
}

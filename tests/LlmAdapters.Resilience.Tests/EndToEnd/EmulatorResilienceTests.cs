// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.OpenAI;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.EndToEnd;

/// <summary>The middleware against the emulator's injected faults, over real HTTP on loopback.</summary>
public sealed class EmulatorResilienceTests
{
    private static OpenAICompatibleChatClient Adapter(EmulatorServer emulator, HttpClient httpClient, string provider = "openai") =>
        new(new OpenAICompatibleChatClientOptions { Endpoint = emulator.OpenAIEndpoint, Model = "emulator-1", ProviderName = provider }, httpClient);

    [Fact]
    public async Task Retry_429WithRetryAfterThenSuccess_WaitsAndSucceeds()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        using var http = new HttpClient();
        emulator.Faults.Enqueue(new EmulatorFault { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(1) });
        emulator.Replies.Enqueue(new EmulatorReply { Text = "after the wait" });
        var attempts = new List<ChatProviderException>();
        using var client = Adapter(emulator, http).AsBuilder()
            .UseRetry(o => o.ShouldRetry = ex =>
            {
                attempts.Add((ChatProviderException)ex);
                return true;
            })
            .Build();
        var started = TimeProvider.System.GetTimestamp();

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(2, emulator.RequestCount);
        var first = Assert.Single(attempts);
        Assert.Equal(ChatProviderErrorKind.RateLimited, first.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), first.RetryAfter);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task Retry_RetryAfterBeyondMaxDelay_FailsAtOnce()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        using var http = new HttpClient();
        emulator.Faults.Enqueue(new EmulatorFault { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(120) });
        using var client = Adapter(emulator, http).AsBuilder().UseRetry(o => o.MaxDelay = TimeSpan.FromSeconds(10)).Build();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, emulator.RequestCount);
    }

    [Fact]
    public async Task Fallback_529OnOneProvider_AnotherServes()
    {
        await using var primaryServer = await EmulatorServer.StartAsync();
        await using var secondaryServer = await EmulatorServer.StartAsync();
        using var http = new HttpClient();
        primaryServer.Faults.Enqueue(EmulatorFault.Status(529));
        secondaryServer.Replies.Enqueue(new EmulatorReply { Text = "from the secondary" });
        using var secondary = Adapter(secondaryServer, http, "secondary");
        using var client = Adapter(primaryServer, http, "primary").AsBuilder()
            .UseFallback([secondary])
            .Build();

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("from the secondary", response.Text);
        Assert.Equal("secondary/emulator-1", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal(1, primaryServer.RequestCount);
        Assert.Equal(1, secondaryServer.RequestCount);
    }

    [Fact]
    public async Task Streaming_CutAfterSomeChunks_SurfacesErrorWithoutRetry()
    {
        // The chunk delay lets the client read the first chunks before the reset: a reset that overtakes unread data
        // discards it, and a stream that fails before its first update is rightly retried.
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(50) });
        using var http = new HttpClient();
        emulator.Replies.Enqueue(new EmulatorReply { Text = "one two three four five six seven eight nine ten" });
        emulator.Faults.Enqueue(new EmulatorFault { CutAfterChunks = 3 });
        using var client = Adapter(emulator, http).AsBuilder().UseRetry().Build();
        var received = new List<ChatResponseUpdate>();

        Exception? ex = null;
        try
        {
            await CollectAsync(client.GetStreamingResponseAsync(Prompt()), received);
        }
        catch (Exception caught)
        {
            ex = caught;
        }

        Assert.True(ex is not null, "No exception; received: " + string.Join("|", received.Select(u => u.Text + "/" + u.FinishReason)) +
            " requests: " + emulator.RequestCount + " " + string.Join(" ## ", emulator.Requests.Select(r => r.Path + " " + r.Body)));

        Assert.True(ex is ChatProviderException { Kind: ChatProviderErrorKind.Unavailable } or HttpRequestException or IOException, ex.ToString());
        Assert.Contains("one", string.Concat(received.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.DoesNotContain("ten", string.Concat(received.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.Equal(1, emulator.RequestCount);
    }

    [Fact]
    public async Task RateLimiting_100ConcurrentThroughConcurrencyOf4_NoneLostNeverMoreThan4()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var counter = new InFlightHandler();
        using var http = new HttpClient(counter);
        emulator.Faults.Enqueue(new EmulatorFault { FirstByteDelay = TimeSpan.FromMilliseconds(10), Times = 100 });
        using var client = Adapter(emulator, http).AsBuilder().UseRateLimiting(o => o.MaxConcurrency = 4).Build();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.GetResponseAsync(Prompt("request " + i))));

        Assert.Equal(100, responses.Length);
        Assert.All(responses, r => Assert.False(string.IsNullOrEmpty(r.Text)));
        Assert.Equal(100, emulator.RequestCount);
        Assert.Equal(100, counter.Total);
        Assert.InRange(counter.MaxInFlight, 1, 4);
    }
}

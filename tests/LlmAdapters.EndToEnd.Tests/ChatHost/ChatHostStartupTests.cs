// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using LlmAdapters.Emulator;
using Microsoft.Extensions.Options;
using static LlmAdapters.EndToEnd.Tests.ChatHost.RunningChatHost;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>The chat host's start (validation, emulator or real provider) and its cancellation, each on a host of its own.</summary>
public sealed class ChatHostStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("AI:Clients:welcome:Temperature", "5", "AI:Clients:welcome:Temperature is '5'")]
    [InlineData("AI:Provider", "nope", "AI:Provider is 'nope', which is not a known provider. Known providers: ")]
    [InlineData("AI:ApiKey", "", "AI:ApiKey is not set and the environment variable GROQ_API_KEY is empty: the 'groq' provider needs an API key.")]
    public async Task Start_InvalidConfiguration_FailsWithTheLibraryMessage(string key, string value, string message)
    {
        // The ApiKey row: a real provider without its key fails the start; it never falls back to the emulator.
        var settings = new Dictionary<string, string?> { ["AI:ApiKey"] = "sk-test-0000000000000000", [key] = value };
        if (key == "AI:ApiKey")
        {
            settings["AI:Provider"] = "groq";
        }

        await using var app = Build(settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Ct));

        Assert.Contains(ex.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
        Assert.DoesNotContain("sk-test-0000000000000000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProviderAndKeyConfigured_TalksToThatProviderWithoutTheEmulator()
    {
        // A stand-in for the real provider, started by the test: the host must not start one of its own.
        await using var provider = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:ApiKey"] = "sk-test-real-0000000000000000",
            ["AI:Endpoint"] = provider.OpenAIEndpoint.ToString(),
        }, Ct);

        var response = await host.Http.PostAsJsonAsync("/chat/welcome", new { prompt = "Hello" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(host.Emulator);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "EmulatorStarted");
        var request = Assert.Single(provider.Requests);
        Assert.Equal("Bearer sk-test-real-0000000000000000", request.Headers["Authorization"]);
        Assert.Contains("\"temperature\":0.9", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ClientDisconnects_CancelsTheProviderCall()
    {
        // 300 words at 50 ms a chunk: 15 s if nothing cancelled it.
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Emulator:ChunkDelay"] = "00:00:00.050" }, Ct);
        host.Emulator!.Replies.Enqueue(new EmulatorReply { Text = string.Join(' ', Enumerable.Repeat("word", 300)) });
        using var logWait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        logWait.CancelAfter(TimeSpan.FromSeconds(10));

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/chat/default/stream") { Content = JsonContent.Create(new { prompt = "Tell me a long story" }) })
        using (var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            await using var stream = await response.Content.ReadAsStreamAsync(Ct);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
            {
                Assert.Equal("delta", item.EventType);
                break;
            }

            // Leaving the block closes the connection, as a closed browser tab does.
        }

        Microsoft.Extensions.Logging.Testing.FakeLogRecord? cancelled = null;
        try
        {
            await foreach (var record in host.Logs.GetLogsAsync(logWait.Token))
            {
                if (record.Id.Name == "StreamCancelled")
                {
                    cancelled = record;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }

        Assert.True(cancelled is not null, "The host went on streaming for 10 s after the client disconnected: the provider call was not cancelled. Logs: " +
            string.Join(" | ", host.Logs.GetSnapshot().Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Id.Name}: {r.Message}")));
        var forwarded = int.Parse(cancelled.GetStructuredStateValue("Updates")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(forwarded, 1, 100);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name is "ReplyFailed" or "ReplyFailedUnexpectedly");

        // The host is unharmed: the next reply is whole.
        var next = await host.Http.PostAsJsonAsync("/chat/default", new { prompt = "Hi" }, Ct);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}

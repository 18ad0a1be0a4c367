// Licensed under the MIT License.

using LlmAdapters.OpenAI.Native;
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
    private const string Chunk = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}""" + "\n\n";
    private const string Finish = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n";
    private const string Done = "data: [DONE]\n\n";

    /// <summary>Gets streams the connection ends early or that hold one malformed chunk (issue 20, N11).</summary>
    public static TheoryData<string> EarlyEndingStreams { get; } = new()
    {
        Finish, // the lone finish without [DONE]: an empty success on the sdk path before
        Chunk + Finish, // text and finish without [DONE]: a success on the sdk path before
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":"stop"}]}""" + "\n\n",
        Chunk[..60] + "\n\n", // a chunk cut in its JSON, then a blank line: Unknown on the sdk path before
        Chunk[..60],
        Chunk + Finish[..60],
        Chunk,
        Chunk + Done,
        Done,
        """data: {"choices":[]}""" + "\n\n",
        """data: {"choices":[]}""" + "\n\n" + Done,
        "data: {not json}\n\n",
        "data: {not json}\n\n" + Done,
        ": a comment only\n\n",
        string.Empty,
    };

    // Issue 20, N11: the sdk path ends a stream as the native decoder does: the same kind and, for a cut stream, the same
    // message ("The stream ended before [DONE]", "… before a finish reason", "… before the end of the JSON body").
    [Theory]
    [MemberData(nameof(EarlyEndingStreams))]
    public async Task Raw_Sdk_StreamEndingEarlyOrMalformed_AnswersAsNative(string stream)
    {
        var native = await RawStreamFailureAsync(stream, sdk: false);
        var sdk = await RawStreamFailureAsync(stream, sdk: true);

        Assert.Equal(native.Kind, sdk.Kind);
        Assert.Equal(native.StatusCode, sdk.StatusCode);
        Assert.Equal(native.IsTransient, sdk.IsTransient);
        if (native.Kind == ChatProviderErrorKind.Unavailable)
        {
            Assert.Equal(native.Message, sdk.Message);
        }
    }

    private async Task<ChatProviderException> RawStreamFailureAsync(string stream, bool sdk)
    {
        await using var server = HostileProviderServer.Start(HostileAnswer.Text(200, "text/event-stream", stream));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var common = new OpenAICompatibleChatClientOptions { ProviderName = ProviderName, Endpoint = Endpoint(server.BaseAddress), ApiKey = Key, Model = "hostile-model" };
        using IChatClient client = sdk
            ? new OpenAICompatibleChatClient(common, http)
            : new OpenAIChatCompletionsClient(new OpenAIChatCompletionsClientOptions { Common = common }, http);
        var thrown = await Record.ExceptionAsync(() => client.GetStreamingResponseAsync("hi", cancellationToken: Ct).ToChatResponseAsync(Ct));
        return Assert.IsType<ChatProviderException>(thrown);
    }
}

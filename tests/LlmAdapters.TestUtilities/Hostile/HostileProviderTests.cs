// Licensed under the MIT License.

using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace LlmAdapters.TestUtilities.Hostile;

/// <summary>
/// Issue 13's hostile-provider suite: every class of hostile answer, over real loopback HTTP, streaming and not, raw
/// and through the configured pipeline (<c>AddConfiguredChatClients</c>, two attempts). For each run: a
/// <see cref="ChatProviderException"/> of the right kind and nothing else; the key in no string, log line or span; the
/// request count the retry policy implies; no text delivered twice. An adapter subclasses it with how to build its raw
/// client and its provider's body shapes.
/// </summary>
public abstract class HostileProviderTests
{
    /// <summary>A key that is not key-shaped: only redaction of the exact configured key can hide it.</summary>
    protected const string Key = "hostile-gateway-token-Q7w2E9r4";

    /// <summary>A key-shaped key a gateway might echo back (not the configured one).</summary>
    protected const string ShapedKey = "sk-proj-Hq7Lw2Zt9Km4Xp1Rs8Vb3Nc6Jd0Fg5Ty2Ua7Ie4Oo";

    private const int PipelineAttempts = 2;

    /// <summary>Gets the token that cancels the test.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets the provider name the configuration uses (<c>AI:Provider</c>).</summary>
    protected abstract string ProviderName { get; }

    /// <summary>Gets the endpoint the adapter is configured with for a server at <paramref name="baseAddress"/>.</summary>
    protected abstract Uri Endpoint(Uri baseAddress);

    /// <summary>Creates the raw adapter for an endpoint and key.</summary>
    protected abstract IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient);

    /// <summary>Gets the provider's error body for a message and error type (its JSON envelope).</summary>
    protected abstract string ErrorBody(string message, string type);

    /// <summary>Gets one good streamed event carrying <paramref name="text"/> (an SSE block ending in a blank line).</summary>
    protected abstract string StreamChunk(string text);

    /// <summary>Gets 200 bodies of the wrong shape for a non-streaming call (each must fail as <see cref="ChatProviderErrorKind.Unknown"/>).</summary>
    protected virtual IEnumerable<string> WrongShapeBodies =>
        ["""{"foo":1}""", "[]", "null", "42", "\"text\"", "not json"];

    /// <summary>Gets streamed events of the wrong shape (each must fail as <see cref="ChatProviderErrorKind.Unknown"/>).</summary>
    protected virtual IEnumerable<string> WrongShapeChunks => ["data: []\n\n", "data: 42\n\n", "data: \"text\"\n\n"];

    /// <summary>Gets a complete, successful non-streamed answer carrying <paramref name="text"/> (finished normally).</summary>
    protected abstract string ResponseBody(string text);

    /// <summary>Gets the streamed event that finishes the answer: normally, or (<paramref name="length"/>) at the output-token limit.</summary>
    protected abstract string StreamFinish(bool length);

    /// <summary>Gets what the dialect sends after the finish to end the stream (<c>[DONE]</c>, <c>message_stop</c>), or nothing.</summary>
    protected virtual string StreamDone => string.Empty;

    /// <summary>Gets a non-streamed answer whose one tool call has <paramref name="arguments"/> (the JSON value as the dialect carries it: a string for OpenAI and DashScope, an object for the others).</summary>
    protected abstract string ToolCallBody(string arguments);

    /// <summary>Gets a complete stream whose one tool call has <paramref name="arguments"/> (see <see cref="ToolCallBody"/>).</summary>
    protected abstract string ToolCallStream(string arguments);

    /// <summary>Gets 200 bodies of the dialect's shape that carry no result: no content and no finish reason (each must fail as <see cref="ChatProviderErrorKind.Unknown"/>).</summary>
    protected abstract IEnumerable<string> NoResultBodies { get; }

    /// <summary>Gets streams that reach the dialect's terminal event without a result (each must fail as <see cref="ChatProviderErrorKind.Unknown"/>); none when the dialect cannot end a stream without a finish.</summary>
    protected virtual IEnumerable<string> NoResultStreams => [];

    /// <summary>Frames one streamed event carrying <paramref name="json"/> as the dialect does (an SSE <c>data:</c> block; one NDJSON line).</summary>
    protected virtual string StreamEvent(string json) => "data: " + json + "\n\n";

    /// <summary>Gets the hostile classes, each streaming and not (the answers and expected kinds are in <c>Answers</c>).</summary>
    public static TheoryData<string, bool> Cases { get; } = new()
    {
        { "empty-200", false }, { "empty-200", true },
        { "cut-200", false }, { "cut-200", true },
        { "wrong-shape-200", false }, { "wrong-shape-stream", true },
        { "html-502", false }, { "html-502", true },
        { "401-echoes-key", false }, { "401-echoes-key", true },
        { "429-retry-after-overflow", false }, { "429-retry-after-overflow", true },
        { "invalid-utf8-200", false }, { "invalid-utf8-200", true },
        { "lying-content-length", false }, { "lying-content-length", true },
        { "no-result-200", false }, { "no-result-stream", true },
        { "unterminated-stream", true }, { "malformed-chunk-stream", true },
    };

    /// <summary>Gets the wrong JSON types a tool call's arguments can come as (each must set <see cref="FunctionCallContent.Exception"/>).</summary>
    public static TheoryData<string, bool> WrongArguments { get; } = new()
    {
        { "\"x\"", false }, { "\"x\"", true }, { "[1,2]", false }, { "[1,2]", true }, { "42", false }, { "42", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Raw_HostileAnswer_TranslatedRedactedOneRequest(string name, bool streaming)
    {
        foreach (var (answer, kind) in Answers(name, streaming))
        {
            await using var server = HostileProviderServer.Start(answer);
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var client = CreateRawClient(Endpoint(server.BaseAddress), Key, http);
            var (ex, texts) = await CallAsync(client, streaming);

            AssertKind(name, kind(streaming), ex.Kind);
            Assert.Equal(1, server.Requests);
            AssertNoSecret(ex.Message, ex.ToString(), ex.ProviderMessage, ex.RawBody, ex.RequestId, ex.ErrorType, ex.ErrorCode);
            AssertNoTextTwice(texts);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Pipeline_HostileAnswer_TranslatedRedactedRetriedAsThePolicySays(string name, bool streaming)
    {
        foreach (var (answer, kind) in Answers(name, streaming))
        {
            await using var server = HostileProviderServer.Start(answer);
            var spans = new List<Activity>();
            using var listener = new ActivityListener
            {
                ShouldListenTo = _ => true,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => { lock (spans) { spans.Add(a); } },
            };
            ActivitySource.AddActivityListener(listener);

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(PipelineSettings)
            {
                ["AI:Provider"] = ProviderName,
                ["AI:Endpoint"] = Endpoint(server.BaseAddress).ToString(),
                ["AI:ApiKey"] = Key,
                ["AI:Model"] = "hostile-model",
                ["AI:Pipeline:Retry:MaxAttempts"] = PipelineAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["AI:Pipeline:Retry:BaseDelay"] = "00:00:00.010",
                ["AI:Pipeline:Retry:MaxDelay"] = "00:00:01",
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
            services.AddConfiguredChatClients(configuration.GetSection("AI"));
            await using var provider = services.BuildServiceProvider();
            var clients = provider.GetRequiredService<LlmAdapters.Hosting.ConfiguredChatClients>();

            var (ex, texts) = await CallAsync(clients.GetClient(clients.Names[0]), streaming);

            AssertKind(name, kind(streaming), ex.Kind);
            var retried = ex.IsTransient && !(ex.RetryAfter > TimeSpan.FromSeconds(1)) && !(streaming && texts.Count > 0);
            Assert.Equal(retried ? PipelineAttempts : 1, server.Requests);
            AssertNoSecret(ex.Message, ex.ToString(), ex.ProviderMessage, ex.RawBody, ex.RequestId, ex.ErrorType, ex.ErrorCode);
            AssertNoSecret([.. provider.GetFakeLogCollector().GetSnapshot().SelectMany(r => new[] { r.Message, r.Exception?.ToString() })]);
            lock (spans)
            {
                AssertNoSecret([.. spans.SelectMany(s => new[] { s.StatusDescription, s.DisplayName }
                    .Concat(s.TagObjects.Select(t => t.Value?.ToString()))
                    .Concat(s.Events.SelectMany(e => e.Tags.Select(t => t.Value?.ToString()))))]);
            }

            AssertNoTextTwice(texts);
        }
    }

    // Issue 20, N2: a Content-Length is a hint. A body announcing 12 MB that holds a few bytes does not make the adapter
    // hold a buffer of the announced size (a 16 MiB pooled array before the fix).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Raw_LyingContentLength_NoBufferOfTheAnnouncedSize(bool streaming)
    {
        const long Announced = 12_000_000;
        var body = streaming ? StreamChunk("Hello") : ResponseBody("Hello");
        await using var server = HostileProviderServer.Start(HostileAnswer.Text(200, streaming ? "text/event-stream" : "application/json", body) with { ContentLength = Announced });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var client = CreateRawClient(Endpoint(server.BaseAddress), Key, http);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (ex, _) = await CallAsync(client, streaming);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(allocated < Announced, $"The call allocated {allocated} bytes for a body of {body.Length} bytes announcing {Announced}.");
    }

    // Issue 20, N10: nothing passes on after the terminal event: no text after the finish, no second, contradicting finish.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StreamAfterTerminalEvent_NothingPassesOn(bool pipeline)
    {
        var stream = StreamChunk("Hello") + StreamFinish(length: false) + StreamChunk("Again") + StreamFinish(length: true) + StreamDone;
        await using var server = HostileProviderServer.Start(HostileAnswer.Text(200, "text/event-stream", stream));
        await using var scope = CreateClient(server, pipeline);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in scope.Client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("Hello", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.DoesNotContain(updates, u => u.FinishReason is { } reason && reason != ChatFinishReason.Stop);
    }

    // Issue 20, N13: arguments that are not a JSON object never become "no arguments": the call carries the exception,
    // and through the pipeline the tool never runs.
    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task Raw_ToolArgumentsNotAnObject_CallCarriesException(string arguments, bool streaming)
    {
        await using var server = HostileProviderServer.Start(Answer(streaming ? ToolCallStream(arguments) : ToolCallBody(arguments), streaming));
        await using var scope = CreateClient(server, pipeline: false);

        var response = await GetAsync(scope.Client, streaming, new ChatOptions { Tools = [AIFunctionFactory.Create((string? city) => city, "f")] });

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("f", call.Name);
        Assert.NotNull(call.Exception);
    }

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task Pipeline_ToolArgumentsNotAnObject_ToolNeverRuns(string arguments, bool streaming)
    {
        await using var server = HostileProviderServer.Start(Answer(streaming ? ToolCallStream(arguments) : ToolCallBody(arguments), streaming));
        await using var scope = CreateClient(server, pipeline: true);
        var runs = 0;

        await GetAsync(scope.Client, streaming, new ChatOptions { Tools = [AIFunctionFactory.Create((string? city = null) => { Interlocked.Increment(ref runs); return city; }, "f")] });

        Assert.Equal(0, runs);
    }

    /// <summary>Gets what keeps a stream alive without being an event (an SSE comment; a blank line for NDJSON).</summary>
    protected virtual string KeepAlive => ": keep-alive\n\n";

    // Issue 20, N11: the network timeout bounds each silence between two events, also when the server keeps the
    // connection busy with bytes that are no event (a stream of SSE comments only never timed out on the sdk path).
    [Fact]
    public async Task Pipeline_StreamOfKeepAlivesOnly_TimesOut()
    {
        await using var server = HostileProviderServer.Start(HostileAnswer.Text(200, "text/event-stream", KeepAlive, cut: true) with { Trickle = System.Text.Encoding.UTF8.GetBytes(KeepAlive) });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(PipelineSettings)
        {
            ["AI:Provider"] = ProviderName,
            ["AI:Endpoint"] = Endpoint(server.BaseAddress).ToString(),
            ["AI:ApiKey"] = Key,
            ["AI:Model"] = "hostile-model",
            ["AI:NetworkTimeout"] = "00:00:01",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<LlmAdapters.Hosting.ConfiguredChatClients>();

        // A hang guard only: the network timeout (1 s) ends the call long before.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromMinutes(2));
        var thrown = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in clients.GetClient(clients.Names[0]).GetStreamingResponseAsync("hi", cancellationToken: guard.Token))
            {
                Assert.Fail("A keep-alive is no update.");
            }
        });

        Assert.False(guard.IsCancellationRequested && !Ct.IsCancellationRequested, "The stream of keep-alives never timed out.");
        Assert.Equal(ChatProviderErrorKind.Timeout, Assert.IsType<ChatProviderException>(thrown).Kind);
    }

    private static HostileAnswer Answer(string body, bool streaming) =>
        HostileAnswer.Text(200, streaming ? "text/event-stream" : "application/json", body);

    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, ChatOptions? options = null) =>
        streaming
            ? await client.GetStreamingResponseAsync("hi", options, Ct).ToChatResponseAsync(Ct)
            : await client.GetResponseAsync("hi", options, Ct);

    private ClientScope CreateClient(HostileProviderServer server, bool pipeline)
    {
        if (!pipeline)
        {
            var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            return new ClientScope(CreateRawClient(Endpoint(server.BaseAddress), Key, http), http);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(PipelineSettings)
        {
            ["AI:Provider"] = ProviderName,
            ["AI:Endpoint"] = Endpoint(server.BaseAddress).ToString(),
            ["AI:ApiKey"] = Key,
            ["AI:Model"] = "hostile-model",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
            ["AI:Pipeline:FunctionInvocation:MaximumIterationsPerRequest"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<LlmAdapters.Hosting.ConfiguredChatClients>();
        return new ClientScope(clients.GetClient(clients.Names[0]), provider);
    }

    /// <summary>Gets extra configuration for the pipeline runs (e.g. <c>AI:Implementation</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string?> PipelineSettings { get; } = new Dictionary<string, string?>();

    private sealed class ClientScope(IChatClient client, object owner) : IAsyncDisposable
    {
        public IChatClient Client { get; } = client;

        public async ValueTask DisposeAsync()
        {
            if (owner is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                Client.Dispose();
                (owner as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>Gets the answers of a hostile class (<see cref="Cases"/>) and the error kind each must become: for suites that run them through more than an adapter (the gateway's).</summary>
    /// <param name="name">The class's name.</param>
    /// <param name="streaming">Whether the call streams.</param>
    /// <returns>The answers, each with its kind (by whether the call streams).</returns>
    protected IEnumerable<(HostileAnswer Answer, Func<bool, ChatProviderErrorKind> Kind)> Answers(string name, bool streaming)
    {
        const string Json = "application/json";
        const string Sse = "text/event-stream";
        static ChatProviderErrorKind Unavailable(bool _) => ChatProviderErrorKind.Unavailable;
        switch (name)
        {
            case "empty-200":
                yield return (HostileAnswer.Text(200, Json, string.Empty), Unavailable);
                break;
            case "cut-200":
                yield return streaming
                    ? (HostileAnswer.Text(200, Sse, StreamChunk("Hello"), cut: true), Unavailable)
                    : (HostileAnswer.Text(200, Json, """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hel""", cut: true), Unavailable);
                break;
            case "wrong-shape-200":
                foreach (var body in WrongShapeBodies)
                {
                    yield return (HostileAnswer.Text(200, Json, body), _ => ChatProviderErrorKind.Unknown);
                }

                break;
            case "wrong-shape-stream":
                foreach (var chunk in WrongShapeChunks)
                {
                    yield return (HostileAnswer.Text(200, Sse, chunk), _ => ChatProviderErrorKind.Unknown);
                }

                break;
            case "html-502":
                yield return (HostileAnswer.Text(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>" + new string('x', 50_000) + " " + Key + "</body></html>"), Unavailable);
                break;
            case "401-echoes-key":
                yield return (
                    HostileAnswer.Text(
                        401,
                        Json,
                        ErrorBody($"Invalid key {Key} (also tried {ShapedKey}, url ?key={Key}, id_{ShapedKey}, {PercentEncoded(Key)}, {PercentEncoded(ShapedKey)}, {Base64(Key)}, {JsonEscapedMarker})", "authentication_error")
                            .Replace(JsonEscapedMarker, JsonEscaped(Key), StringComparison.Ordinal),
                        false,
                        ("x-request-id", "req_" + Key),
                        ("request-id", "id_" + ShapedKey)),
                    _ => ChatProviderErrorKind.Authentication);
                break;
            case "429-retry-after-overflow":
                foreach (var value in new[] { "1e20", "Infinity", "99999999999999" })
                {
                    yield return (
                        HostileAnswer.Text(429, Json, ErrorBody($"Slow down {Key}", "rate_limit_error"), false, ("retry-after", value), ("retry-after-ms", value)),
                        _ => ChatProviderErrorKind.RateLimited);
                }

                break;
            case "invalid-utf8-200":
                // Issue 20, N1/N12: invalid UTF-8 inside the answer's text, streamed or not, as well as in a member name.
                if (!streaming)
                {
                    yield return (new HostileAnswer(200, Json, [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []), _ => ChatProviderErrorKind.Unknown);
                    yield return (new HostileAnswer(200, Json, WithInvalidUtf8(ResponseBody("Hel" + InvalidUtf8Marker + "lo")), []), _ => ChatProviderErrorKind.Unknown);

                    // In a member no adapter reads: only the UTF-8 rule sees it (a JSON reader checks a string's UTF-8 only
                    // when it decodes it), so this variant fails when the rule is off, where the others are held by the parser.
                    yield return (new HostileAnswer(200, Json, WithInvalidUtf8(WithUnreadMember(ResponseBody("Hello"))), []), _ => ChatProviderErrorKind.Unknown);
                }
                else
                {
                    yield return (new HostileAnswer(200, Sse, WithInvalidUtf8(StreamChunk("Hel" + InvalidUtf8Marker + "lo") + StreamFinish(length: false) + StreamDone), []), _ => ChatProviderErrorKind.Unknown);
                    yield return (new HostileAnswer(200, Sse, WithInvalidUtf8(WithUnreadMember(StreamChunk("Hello")) + StreamFinish(length: false) + StreamDone), []), _ => ChatProviderErrorKind.Unknown);
                }

                break;
            case "lying-content-length":
                // Issue 20, N2: a Content-Length far beyond the body: the connection closes before it, a cut body.
                yield return (HostileAnswer.Text(200, streaming ? Sse : Json, streaming ? StreamChunk("Hello") : ResponseBody("Hello")) with { ContentLength = 12_000_000 }, Unavailable);
                break;
            case "no-result-200":
                // Issue 20, N6: a 200 of the dialect's shape that carries no result.
                foreach (var body in NoResultBodies)
                {
                    yield return (HostileAnswer.Text(200, Json, body), _ => ChatProviderErrorKind.Unknown);
                }

                break;
            case "no-result-stream":
                foreach (var stream in NoResultStreams)
                {
                    yield return (HostileAnswer.Text(200, Sse, stream), _ => ChatProviderErrorKind.Unknown);
                }

                break;
            case "unterminated-stream":
                // Issue 20, N11: a stream the connection ends (cleanly: the Content-Length is true) before its terminal event
                // is cut, never a success: after a finish but without the dialect's end event, a lone finish (the
                // "single-chunk stream"), text without a finish, a chunk cut in the middle of its JSON.
                if (StreamDone.Length > 0)
                {
                    yield return (HostileAnswer.Text(200, Sse, StreamChunk("Hello") + StreamFinish(length: false)), Unavailable);
                    yield return (HostileAnswer.Text(200, Sse, StreamFinish(length: false)), Unavailable);
                }

                yield return (HostileAnswer.Text(200, Sse, StreamChunk("Hello")), Unavailable);
                var whole = StreamChunk("Hello");
                yield return (HostileAnswer.Text(200, Sse, whole[..(whole.LastIndexOf("Hello", StringComparison.Ordinal) + 3)]), Unavailable);
                break;
            case "malformed-chunk-stream":
                // Issue 20, N11: a stream of one malformed event (not JSON; JSON of no dialect), with or without the
                // dialect's end event after it: Unknown (or Unavailable where the parser skips it), never an empty success.
                foreach (var json in new[] { "{not json}", "{}" })
                {
                    yield return (HostileAnswer.Text(200, Sse, StreamEvent(json)), _ => ChatProviderErrorKind.Unknown);
                    if (StreamDone.Length > 0)
                    {
                        yield return (HostileAnswer.Text(200, Sse, StreamEvent(json) + StreamDone), _ => ChatProviderErrorKind.Unknown);
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "No such hostile case.");
        }
    }

    private static async Task<(ChatProviderException Exception, List<string> Texts)> CallAsync(IChatClient client, bool streaming)
    {
        var texts = new List<string>();
        var thrown = await Record.ExceptionAsync(async () =>
        {
            if (!streaming)
            {
                var response = await client.GetResponseAsync("hi", cancellationToken: Ct);
                texts.Add(response.Text);
                return;
            }

            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                // Every update counts (an empty one too): the retry policy stops retrying once one is delivered.
                texts.Add(update.Text);
            }
        });

        // Nothing else may escape: not the SDK's exceptions, not a parser's, not an OverflowException.
        return (Assert.IsType<ChatProviderException>(thrown), texts);
    }

    // A streamed event of the wrong shape fails as Unknown where the adapter reads it, or, where the provider's parser
    // skips it, as Unavailable when the stream ends without a finish: either way a definite, documented kind.
    private static void AssertKind(string name, ChatProviderErrorKind expected, ChatProviderErrorKind actual)
    {
        if (name is "wrong-shape-stream" or "malformed-chunk-stream" && actual == ChatProviderErrorKind.Unavailable)
        {
            return;
        }

        Assert.Equal(expected, actual);
    }

    private static void AssertNoSecret(params string?[] values)
    {
        foreach (var value in values)
        {
            // The key in every form a server may echo it in (issue 20, N3/N4), and the key-shaped one's secret part.
            foreach (var form in SecretForms)
            {
                Assert.DoesNotContain(form, value ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Gets the key in every form a server may echo it in (issue 20, N3/N4), and the key-shaped one's secret part: none may reach a caller.</summary>
    protected static IReadOnlyList<string> SecretForms { get; } = [Key, ShapedKey, ShapedKey[8..], PercentEncoded(Key), JsonEscaped(Key), Base64(Key)[4..^4]];

    private const string JsonEscapedMarker = "JSON-ESCAPED-KEY";

    private const string InvalidUtf8Marker = "INVALIDUTF8";

    /// <summary>Gets a key percent-encoded as a URL would carry it.</summary>
    protected static string PercentEncoded(string key) => key.Replace("-", "%2D", StringComparison.Ordinal);

    /// <summary>Gets a key with JSON escapes, as a JSON string may carry it.</summary>
    protected static string JsonEscaped(string key) => key.Replace("-", "\\u002D", StringComparison.Ordinal);

    /// <summary>Gets a key in base64.</summary>
    protected static string Base64(string key) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));

    // Adds a member no dialect reads, holding the invalid-UTF-8 marker, at the start of the first JSON object.
    private static string WithUnreadMember(string json)
    {
        var at = json.IndexOf('{', StringComparison.Ordinal);
        Assert.True(at >= 0, "The dialect's body has no JSON object.");
        return json[..(at + 1)] + "\"x_hostile\":\"" + InvalidUtf8Marker + "\"," + json[(at + 1)..];
    }

    private static byte[] WithInvalidUtf8(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var marker = System.Text.Encoding.UTF8.GetBytes(InvalidUtf8Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at >= 0, "The dialect's body lost the marker.");
        return [.. bytes.AsSpan(0, at), 0xC3, 0x28, .. bytes.AsSpan(at + marker.Length)];
    }

    private static void AssertNoTextTwice(List<string> texts) =>
        Assert.True(string.Concat(texts).Split("Hello").Length <= 2, "The same text was delivered twice: " + string.Concat(texts));
}

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

    /// <summary>Gets the hostile classes, each streaming and not (the answers and expected kinds are in <c>Answers</c>).</summary>
    public static TheoryData<string, bool> Cases { get; } = new()
    {
        { "empty-200", false }, { "empty-200", true },
        { "cut-200", false }, { "cut-200", true },
        { "wrong-shape-200", false }, { "wrong-shape-stream", true },
        { "html-502", false }, { "html-502", true },
        { "401-echoes-key", false }, { "401-echoes-key", true },
        { "429-retry-after-overflow", false }, { "429-retry-after-overflow", true },
        { "invalid-utf8-200", false },
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

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
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

    private IEnumerable<(HostileAnswer Answer, Func<bool, ChatProviderErrorKind> Kind)> Answers(string name, bool streaming)
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
                    HostileAnswer.Text(401, Json, ErrorBody($"Invalid key {Key} (also tried {ShapedKey}, url ?key={Key}, id_{ShapedKey})", "authentication_error"), false, ("x-request-id", "req_" + Key), ("request-id", "id_" + ShapedKey)),
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
                yield return (new HostileAnswer(200, Json, [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []), _ => ChatProviderErrorKind.Unknown);
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
        if (name == "wrong-shape-stream" && actual == ChatProviderErrorKind.Unavailable)
        {
            return;
        }

        Assert.Equal(expected, actual);
    }

    private static void AssertNoSecret(params string?[] values)
    {
        foreach (var value in values)
        {
            Assert.DoesNotContain(Key, value ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(ShapedKey, value ?? string.Empty, StringComparison.Ordinal);
        }
    }

    private static void AssertNoTextTwice(List<string> texts) =>
        Assert.True(string.Concat(texts).Split("Hello").Length <= 2, "The same text was delivered twice: " + string.Concat(texts));
}

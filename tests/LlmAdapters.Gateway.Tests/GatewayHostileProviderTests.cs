// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// The hostile-provider suite through the gateway: the suite's own scenarios (tests/LlmAdapters.TestUtilities/Hostile,
/// in OpenAI's dialect) answered by the provider behind samples/Gateway, and each front door, JSON and SSE, asked. Every
/// answer is the door's documented error (status and error type, or the in-stream error event after the first byte),
/// never a stack, never the provider's key or the caller's virtual key in any encoding; and the gateway stays up.
/// </summary>
public sealed class GatewayHostileProviderTests
{
    private static readonly Scenarios s_scenarios = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets the suite's hostile classes, each streaming and not.</summary>
    public static TheoryData<string, bool> Cases => HostileProviderTests.Cases;

    /// <summary>Gets the suite's tool arguments that are not a JSON object.</summary>
    public static TheoryData<string, bool> WrongArguments => HostileProviderTests.WrongArguments;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileAnswer_EachDoor_AnswersItsWiresError_NothingSecret_StaysUp(string name, bool streaming)
    {
        foreach (var (answer, kind) in s_scenarios.Of(name, streaming))
        {
            await using var server = HostileProviderServer.Start(answer);
            await using var gateway = await RunningGateway.StartAsync(s_scenarios.Settings(server), Ct);
            foreach (var door in Door.All)
            {
                var reply = await Reply.GetAsync(gateway, door, streaming);

                reply.AssertError(door, name, kind(streaming));
                s_scenarios.AssertNothingSecret(reply.Text);
            }

            await AssertUpAsync(gateway);
        }
    }

    [Fact]
    public async Task EventsAfterTheTerminalEvent_NeverReachTheCaller_OnEitherDoor()
    {
        await using var server = HostileProviderServer.Start(s_scenarios.AfterTerminal());
        await using var gateway = await RunningGateway.StartAsync(s_scenarios.Settings(server), Ct);
        foreach (var door in Door.All)
        {
            var reply = await Reply.GetAsync(gateway, door, streaming: true);

            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Contains("Hello", reply.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Again", reply.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(door.Anthropic ? "max_tokens" : "\"length\"", reply.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task ToolArgumentsNotAnObject_AreAnError_NeverACallWithEmptyArguments(string arguments, bool streaming)
    {
        await using var server = HostileProviderServer.Start(s_scenarios.ToolCall(arguments, streaming));
        await using var gateway = await RunningGateway.StartAsync(s_scenarios.Settings(server), Ct);
        foreach (var door in Door.All)
        {
            var reply = await Reply.GetAsync(gateway, door, streaming, withTool: true);

            reply.AssertError(door, "tool-arguments", ChatProviderErrorKind.Unknown);
            Assert.DoesNotContain("{}", reply.Text, StringComparison.Ordinal);
        }

        await AssertUpAsync(gateway);
    }

    [Fact]
    public async Task StreamOfKeepAlivesOnly_TimesOut_AsTheDoorsTimeoutError()
    {
        await using var server = HostileProviderServer.Start(s_scenarios.KeepAlivesOnly());
        await using var gateway = await RunningGateway.StartAsync(new Dictionary<string, string?>(s_scenarios.Settings(server)) { ["AI:NetworkTimeout"] = "00:00:01" }, Ct);
        foreach (var door in Door.All)
        {
            var reply = await Reply.GetAsync(gateway, door, streaming: true);

            reply.AssertError(door, "keep-alives", ChatProviderErrorKind.Timeout);
        }

        await AssertUpAsync(gateway);
    }

    private static async Task AssertUpAsync(RunningGateway gateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", RunningGateway.DemoKey);
        using var models = await gateway.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    /// <summary>A front door: its path, its request and its error shape.</summary>
    private sealed record Door(string Path, bool Anthropic)
    {
        public static IReadOnlyList<Door> All { get; } = [new("/v1/chat/completions", false), new("/v1/messages", true)];

        public string Body(bool streaming, bool withTool)
        {
            var tools = !withTool ? string.Empty : Anthropic
                ? ""","tools":[{"name":"f","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]"""
                : ""","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";
            return $$"""{"model":"default","max_tokens":50,"stream":{{(streaming ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]{{tools}}}""";
        }

        /// <summary>The wire's error type for a provider failure of a kind (docs/gateway.md, Errors).</summary>
        public string ErrorType(ChatProviderErrorKind kind) => kind switch
        {
            ChatProviderErrorKind.Authentication => "authentication_error",
            ChatProviderErrorKind.RateLimited => "rate_limit_error",
            _ => Anthropic ? "api_error" : "server_error",
        };

        public static int Status(ChatProviderErrorKind kind) => kind switch
        {
            ChatProviderErrorKind.Authentication => 401,
            ChatProviderErrorKind.RateLimited => 429,
            ChatProviderErrorKind.Unavailable => 502,
            ChatProviderErrorKind.Timeout => 504,
            _ => 500,
        };
    }

    /// <summary>What a door answered: the status, the Retry-After header, the content type and the whole body.</summary>
    private sealed record Reply(HttpStatusCode Status, string? RetryAfter, string? ContentType, string Text)
    {
        public static async Task<Reply> GetAsync(RunningGateway gateway, Door door, bool streaming, bool withTool = false)
        {
            using var request = gateway.Post(door.Path, door.Body(streaming, withTool), xApiKey: door.Anthropic);
            using var response = await gateway.Http.SendAsync(request, Ct);
            return new Reply(
                response.StatusCode,
                response.Headers.TryGetValues("Retry-After", out var after) ? after.Single() : null,
                response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync(Ct));
        }

        public void AssertError(Door door, string name, ChatProviderErrorKind kind)
        {
            // Never a stack or an exception's text, whatever the shape.
            Assert.DoesNotContain("Exception", Text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", Text, StringComparison.Ordinal);

            // A stream of the wrong shape fails where the adapter reads it (Unknown) or, where the parser skips it, when the
            // stream ends without a finish (Unavailable): either is documented (the suite's own rule).
            var kinds = name == "wrong-shape-stream" ? [kind, ChatProviderErrorKind.Unavailable] : new[] { kind };
            if (Status == HttpStatusCode.OK)
            {
                // After the first byte: the wire's in-stream error event, and the stream ends there.
                Assert.Equal("text/event-stream", ContentType);
                var events = Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
                var error = events.Select(e => e.Split('\n')).Single(lines => lines.Any(l => l.Contains("\"error\":{", StringComparison.Ordinal)));
                var data = JsonDocument.Parse(error.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement;
                if (door.Anthropic)
                {
                    Assert.Equal("event: error", error[0]);
                    Assert.DoesNotContain("message_stop", Text, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal("data: [DONE]", events[^1]);
                }

                AssertBody(door, data, kinds);
                return;
            }

            Assert.True(kinds.Select(Door.Status).Contains((int)Status), $"{door.Path} answered {(int)Status} ({ContentType}) for {name}, expected {string.Join(" or ", kinds)}: {Text}");
            Assert.Equal("application/json", ContentType);
            var root = JsonDocument.Parse(Text).RootElement;
            AssertBody(door, root, [.. kinds.Where(k => Door.Status(k) == (int)Status)]);
            if (Status == HttpStatusCode.TooManyRequests)
            {
                // Whatever the provider said (1e20, Infinity), a whole number of seconds.
                Assert.True(long.TryParse(RetryAfter, out var seconds) && seconds >= 1, $"Retry-After: {RetryAfter}");
            }
        }

        private static void AssertBody(Door door, JsonElement root, IReadOnlyList<ChatProviderErrorKind> kinds)
        {
            var error = root.GetProperty("error");
            Assert.Contains(error.GetProperty("type").GetString(), kinds.Select(door.ErrorType));
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            if (door.Anthropic)
            {
                Assert.Equal("error", root.GetProperty("type").GetString());
            }
        }
    }

    /// <summary>The suite's scenarios in OpenAI's dialect, for the provider behind the gateway (never run as a test class itself).</summary>
    private sealed class Scenarios : OpenAIDialectHostileProviderTests
    {
        public IEnumerable<(HostileAnswer Answer, Func<bool, ChatProviderErrorKind> Kind)> Of(string name, bool streaming) => Answers(name, streaming);

        public HostileAnswer AfterTerminal() =>
            HostileAnswer.Text(200, "text/event-stream", StreamChunk("Hello") + StreamFinish(length: false) + StreamChunk("Again") + StreamFinish(length: true) + StreamDone);

        public HostileAnswer ToolCall(string arguments, bool streaming) =>
            HostileAnswer.Text(200, streaming ? "text/event-stream" : "application/json", streaming ? ToolCallStream(arguments) : ToolCallBody(arguments));

        public HostileAnswer KeepAlivesOnly() =>
            HostileAnswer.Text(200, "text/event-stream", KeepAlive, cut: true) with { Trickle = System.Text.Encoding.UTF8.GetBytes(KeepAlive) };

        /// <summary>samples/Gateway's clients on the hostile server, native, one attempt (the answer is the caller's).</summary>
        public Dictionary<string, string?> Settings(HostileProviderServer server) => new()
        {
            ["AI:Provider"] = ProviderName,
            ["AI:Endpoint"] = Endpoint(server.BaseAddress).ToString(),
            ["AI:ApiKey"] = Key,
            ["AI:Model"] = "gpt-4o-mini", // priced: the test keys have budgets
            ["AI:Implementation"] = "native",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        };

        /// <summary>Neither the provider's key (every form the suite knows) nor the caller's virtual key, in any encoding.</summary>
        public void AssertNothingSecret(string text)
        {
            const string Caller = RunningGateway.DemoKey;
            foreach (var form in SecretForms.Concat([Caller, PercentEncoded(Caller), JsonEscaped(Caller), Base64(Caller)[4..^4]]))
            {
                Assert.DoesNotContain(form, text, StringComparison.Ordinal);
            }
        }

        protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
            throw new NotSupportedException("Only the gateway calls the hostile server here.");
    }
}

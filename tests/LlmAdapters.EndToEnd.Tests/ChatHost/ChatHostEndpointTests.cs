// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using static LlmAdapters.EndToEnd.Tests.ChatHost.RunningChatHost;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>The chat host's endpoints over real HTTP, on the emulator it starts when no provider is configured.</summary>
public sealed class ChatHostEndpointTests(ChatHostFixture fixture) : IClassFixture<ChatHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RunningChatHost Host => fixture.Host;

    [Fact]
    public async Task Stream_Prompt_DeltasConcatenateToTheNonStreamingReply()
    {
        var (response, events) = await Host.StreamAsync("default", new { prompt = "Tell me about streams" }, Ct);
        var reply = await Host.Http.PostAsJsonAsync("/chat/default", new { prompt = "Tell me about streams" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var expected = (await reply.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("text").GetString();
        Assert.StartsWith("You said \"Tell me about streams\".", expected, StringComparison.Ordinal);

        Assert.Equal("done", events[^1].EventType);
        var deltas = events[..^1];
        Assert.True(deltas.Count > 3, $"expected the reply in several pieces, got {deltas.Count}");
        Assert.All(deltas, e => Assert.Equal("delta", e.EventType));
        Assert.Equal(expected, string.Concat(deltas.Select(e => Json(e.Data).GetProperty("text").GetString())));
    }

    [Fact]
    public async Task Stream_Done_CarriesModelUsageCostAndFinishReasonOfTheReply()
    {
        var (_, events) = await Host.StreamAsync("default", new { prompt = "What does it cost?" }, Ct);
        var reply = await (await Host.Http.PostAsJsonAsync("/chat/default", new { prompt = "What does it cost?" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var done = Json(Assert.Single(events, e => e.EventType == "done").Data);
        Assert.Equal("gpt-4o-mini", done.GetProperty("model").GetString());
        Assert.Equal("stop", done.GetProperty("finishReason").GetString());
        var usage = done.GetProperty("usage");
        var input = usage.GetProperty("inputTokens").GetInt64();
        var output = usage.GetProperty("outputTokens").GetInt64();
        Assert.True(input > 0 && output > 0);
        Assert.Equal(input + output, usage.GetProperty("totalTokens").GetInt64());
        Assert.Equal(reply.GetProperty("usage").GetRawText(), usage.GetRawText());

        // gpt-4o-mini in the shipped price catalog: $0.15 per million input tokens, $0.60 per million output tokens.
        var cost = done.GetProperty("cost");
        var expected = (input * 0.15m + output * 0.60m) / 1_000_000m;
        Assert.Equal(expected, cost.GetProperty("total").GetDecimal());
        Assert.Equal(Cost.ChatCost.FormatUsd(expected), cost.GetProperty("formatted").GetString());
        Assert.Equal("gpt-4o-mini", cost.GetProperty("pricedAs").GetString());
        Assert.Equal(expected, reply.GetProperty("cost").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Stream_MessagesBody_SendsTheWholeConversation()
    {
        var before = Host.Emulator!.RequestCount;
        var (_, events) = await Host.StreamAsync("default", new
        {
            messages = new[]
            {
                new { role = "user", content = "My name is Ada." },
                new { role = "assistant", content = "Hello Ada." },
                new { role = "user", content = "What is my name?" },
            },
        }, Ct);

        var text = string.Concat(events.Where(e => e.EventType == "delta").Select(e => Json(e.Data).GetProperty("text").GetString()));
        Assert.StartsWith("You said \"What is my name?\".", text, StringComparison.Ordinal);
        var sent = Json(Host.Emulator.Requests[before].Body).GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").ValueKind == JsonValueKind.String ? m.GetProperty("content").GetString() : m.GetProperty("content")[0].GetProperty("text").GetString()))
            .ToList();
        Assert.Equal(
            [("system", "You are a helpful, concise assistant."), ("user", "My name is Ada."), ("assistant", "Hello Ada."), ("user", "What is my name?")],
            sent);
    }

    [Theory]
    [InlineData("/chat/nope/stream")]
    [InlineData("/chat/nope")]
    public async Task Chat_UnknownClient_Returns404ListingConfiguredClients(string path)
    {
        var before = Host.Emulator!.RequestCount;
        var response = await Host.Http.PostAsJsonAsync(path, new { prompt = "Hi" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["default", "welcome"], problem.GetProperty("clients").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("No chat client named 'nope' is configured. Configured clients: default, welcome.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, Host.Emulator.RequestCount);
    }

    [Fact]
    public async Task Stream_WelcomeClient_SendsItsOwnSettings()
    {
        var before = Host.Emulator!.RequestCount;
        await Host.StreamAsync("welcome", new { prompt = "I just signed up" }, Ct);
        await Host.StreamAsync("default", new { prompt = "I just signed up" }, Ct);

        var requests = Host.Emulator.Requests.Skip(before).Select(r => Json(r.Body)).ToList();
        Assert.Equal(2, requests.Count);
        var (welcome, @default) = (requests[0], requests[1]);
        Assert.Equal(120, MaxTokens(welcome));
        Assert.Equal(0.9, welcome.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal("You greet new users warmly in two sentences and suggest one thing to try.", SystemPrompt(welcome));
        Assert.Equal(512, MaxTokens(@default));
        Assert.Equal(0.7, @default.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal("You are a helpful, concise assistant.", SystemPrompt(@default));

        static int MaxTokens(JsonElement body) =>
            (body.TryGetProperty("max_completion_tokens", out var value) ? value : body.GetProperty("max_tokens")).GetInt32();

        static string? SystemPrompt(JsonElement body)
        {
            var first = body.GetProperty("messages")[0];
            Assert.Contains(first.GetProperty("role").GetString(), new[] { "system", "developer" });
            var content = first.GetProperty("content");
            return content.ValueKind == JsonValueKind.String ? content.GetString() : content[0].GetProperty("text").GetString();
        }
    }

    [Fact]
    public async Task Stream_ProviderRejectsTheKey_StreamsAnAuthenticationErrorWithoutTheKey()
    {
        // The recorded OpenAI 401, with the key it quotes unmasked, as a server that echoes it would send it.
        const string EchoedKey = "sk-proj-Zx81Qw72Er63Ty54Ui45Op36As27Df18Gh09abcd";
        var body = Fixture.Text("openai/error-401-invalid-key.json").Replace("sk-proj-****************************abcd", EchoedKey, StringComparison.Ordinal);
        Host.Emulator!.Faults.Enqueue(new EmulatorFault { StatusCode = 401, Body = body });

        var (response, events) = await Host.StreamAsync("default", new { prompt = "Hello" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = Assert.Single(events);
        Assert.Equal("error", item.EventType);
        var error = Json(item.Data);
        Assert.Equal("Authentication", error.GetProperty("kind").GetString());
        Assert.Equal(401, error.GetProperty("status").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        // The emulator is only the server: the client is the openai adapter (the dialect), and its messages say so.
        Assert.StartsWith("openai request failed: Authentication (HTTP 401, invalid_api_key): Incorrect API key provided: sk-p***", message, StringComparison.Ordinal);
        Assert.DoesNotContain(EchoedKey, item.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("Zx81Qw72", item.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_ProviderRejectsTheKey_Returns502ProblemWithTheKind()
    {
        Host.Emulator!.Faults.Enqueue(new EmulatorFault { StatusCode = 401, Body = Fixture.Text("openai/error-401-invalid-key.json") });

        var response = await Host.Http.PostAsJsonAsync("/chat/welcome", new { prompt = "Hello" }, Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Authentication", problem.GetProperty("kind").GetString());
        Assert.Equal(401, problem.GetProperty("providerStatus").GetInt32());
        Assert.Contains("invalid_api_key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"foo":1}""", "Unknown", 502)]
    [InlineData("[]", "Unknown", 502)]
    [InlineData("null", "Unknown", 502)]
    [InlineData("""{"choices":[]}""", "Unknown", 502)]
    [InlineData("""{"choices":"x"}""", "Unknown", 502)]
    [InlineData("""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":42},"finish_reason":"stop"}]}""", "Unknown", 502)]
    public async Task Reply_ProviderAnswers200OfWrongShape_ProblemWithTheKindNoExceptionText(string body, string kind, int status)
    {
        Host.Emulator!.Faults.Enqueue(new EmulatorFault { StatusCode = 200, Body = body });

        var response = await Host.Http.PostAsJsonAsync("/chat/welcome", new { prompt = "Hello" }, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(kind, problem.GetProperty("kind").GetString());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_PromptOverTheLimit_Returns413WithoutCallingTheProvider(bool stream)
    {
        var before = Host.Emulator!.RequestCount;

        var response = await Host.Http.PostAsJsonAsync(stream ? "/chat/welcome/stream" : "/chat/welcome", new { prompt = new string('a', 32_001) }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("PromptTooLarge", problem.GetProperty("kind").GetString());
        Assert.Equal(before, Host.Emulator.RequestCount);
    }

    [Theory]
    [InlineData("{}", "Give a prompt")]
    [InlineData("""{"messages":[{"role":"robot","content":"beep"}]}""", "messages[0].role is 'robot'")]
    public async Task Stream_InvalidBody_Returns400WithoutCallingTheProvider(string json, string detail)
    {
        var before = Host.Emulator!.RequestCount;
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await Host.Http.PostAsync("/chat/default/stream", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Host.Emulator.RequestCount);
    }

    [Fact]
    public async Task Cost_GivesTheLedgerTotal_NotSharedWithoutRedis()
    {
        var reply = await (await Host.Http.PostAsJsonAsync("/chat/default", new { prompt = "Count my cost" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var cost = await (await Host.Http.GetAsync("/cost", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(cost.GetProperty("calls").GetInt64() >= 1);
        Assert.True(cost.GetProperty("total").GetDecimal() >= reply.GetProperty("cost").GetProperty("total").GetDecimal());
        Assert.StartsWith("$", cost.GetProperty("formatted").GetString(), StringComparison.Ordinal);
        Assert.False(cost.GetProperty("shared").GetBoolean());
    }

    [Fact]
    public async Task Clients_ListsBothWithProviderAndModelAndNoKey()
    {
        var response = await Host.Http.GetAsync("/clients", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var clients = Json(text).EnumerateArray().ToList();
        Assert.Equal(["default", "welcome"], clients.Select(c => c.GetProperty("name").GetString()));
        Assert.All(clients, c => Assert.Equal("emulator", c.GetProperty("provider").GetString()));
        Assert.All(clients, c => Assert.Equal("gpt-4o-mini", c.GetProperty("model").GetString()));
        Assert.All(clients, c => Assert.True(c.GetProperty("emulated").GetBoolean()));
        Assert.Equal([512, 120], clients.Select(c => c.GetProperty("maxOutputTokens").GetInt32()));
        Assert.DoesNotContain("key", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    public async Task IndexPage_IsServed(string path)
    {
        var response = await Host.Http.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>LlmAdapters chat host</title>", html, StringComparison.Ordinal);
        Assert.Contains("/chat/${encodeURIComponent(client)}/stream", html, StringComparison.Ordinal);
        Assert.Contains("getReader()", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_EmulatorProvider_LogsOneLineAboutTheEmulator()
    {
        var lines = Host.Logs.GetSnapshot().Where(r => r.Id.Name == "EmulatorStarted").ToList();

        var line = Assert.Single(lines);
        Assert.Equal(
            $"AI:Provider is 'emulator': replies come from the built-in emulator at {Host.Emulator!.BaseAddress}, offline (set AI__Provider and its API key to use a real provider).",
            line.Message);
        Assert.StartsWith("http://127.0.0.1:", Host.Emulator.BaseAddress.ToString(), StringComparison.Ordinal);
    }
}

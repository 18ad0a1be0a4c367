// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Gateway.Tests;

/// <summary>Keys, refusals, hardening, per-key limits and spend, over raw HTTP on both wires.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayHttpTests(GatewayFixture fixture)
{
    private const string Chat = """{"model":"default","messages":[{"role":"user","content":"Hi"}]}""";
    private const string Messages = """{"model":"default","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RunningGateway Gateway => fixture.Gateway;

    [Theory]
    [InlineData("/v1/chat/completions", Chat, false)]
    [InlineData("/v1/chat/completions", Chat, true)]
    [InlineData("/v1/messages", Messages, false)]
    [InlineData("/v1/messages", Messages, true)]
    public async Task EveryDoor_TakesBearerAndXApiKey(string path, string body, bool xApiKey)
    {
        using var response = await Gateway.Http.SendAsync(Gateway.Post(path, body, xApiKey: xApiKey), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/chat/completions", Chat, null)]
    [InlineData("/v1/chat/completions", Chat, "sk-secret-never-echoed-1")]
    [InlineData("/v1/messages", Messages, null)]
    [InlineData("/v1/messages", Messages, "sk-secret-never-echoed-2")]
    public async Task MissingOrUnknownKey_401InTheWiresShape_KeyNeitherEchoedNorLogged(string path, string body, string? key)
    {
        using var response = await Gateway.Http.SendAsync(Gateway.Post(path, body, key, xApiKey: path == "/v1/messages"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("authentication_error", path == "/v1/messages" ? root.GetProperty("error").GetProperty("type").GetString() : root.GetProperty("error").GetProperty("type").GetString());
        if (path == "/v1/messages")
        {
            Assert.Equal("error", root.GetProperty("type").GetString());
        }

        if (key is not null)
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Gateway.Logs.GetSnapshot(), r => r.Message.Contains(key, StringComparison.Ordinal) || (r.Exception?.ToString().Contains(key, StringComparison.Ordinal) ?? false));
        }
    }

    [Fact]
    public async Task ModelsAndSpend_RequireAKey()
    {
        using var models = await Gateway.Http.GetAsync("/v1/models", Ct);
        using var spend = await Gateway.Http.GetAsync("/v1/spend", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, spend.StatusCode);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "{\"model\":\"default\",\"messages\":[", "invalid_request_error")]
    [InlineData("/v1/messages", "{not json", "invalid_request_error")]
    [InlineData("/v1/chat/completions", "{\"model\":\"default\",\"messages\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}", "invalid_request_error")]
    [InlineData("/v1/messages", "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "invalid_request_error")]
    public async Task MalformedOrInvalidBody_TheWires400(string path, string body, string type)
    {
        using var response = await Gateway.Http.SendAsync(Gateway.Post(path, body), Ct);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(type, root.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task NOtherThanOne_RefusedClearly()
    {
        using var response = await Gateway.Http.SendAsync(Gateway.Post("/v1/chat/completions", """{"model":"default","n":3,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("message").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("n is 3", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverTheCap_413_WithOrWithoutContentLength(bool chunked)
    {
        var big = "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 100_000) + "\"}]}";
        using var request = Gateway.Post("/v1/chat/completions", big);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await Gateway.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Gateway:MaxRequestBodyBytes", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRateLimit_ThirdRequestInTheMinute_429WithRetryAfter()
    {
        for (var i = 0; i < 2; i++)
        {
            using var ok = await Gateway.Http.SendAsync(Gateway.Post("/v1/chat/completions", Chat, RunningGateway.RpmKey), Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await Gateway.Http.SendAsync(Gateway.Post("/v1/messages", Messages, RunningGateway.RpmKey, xApiKey: true), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("rate_limit_error", JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task KeyBudget_Spent_429BudgetExceeded()
    {
        using var response = await Gateway.Http.SendAsync(Gateway.Post("/v1/chat/completions", Chat, RunningGateway.BudgetKey), Ct);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("Gateway:Keys:budget:Budget:Daily", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spend_ByKeyTenantClientModel_AdminSeesAll_OthersTheirOwn()
    {
        using (await Gateway.Http.SendAsync(Gateway.Post("/v1/chat/completions", Chat), Ct))
        using (await Gateway.Http.SendAsync(Gateway.Post("/v1/chat/completions", Chat.Replace("\"default\"", "\"fast\"", StringComparison.Ordinal), RunningGateway.LimitedKey), Ct))
        {
        }

        async Task<JsonElement> Spend(string query, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/spend" + query);
            request.Headers.Authorization = new("Bearer", key);
            using var response = await Gateway.Http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        }

        var byKey = await Spend("?period=day&group_by=key", RunningGateway.DemoKey);
        var byTenant = await Spend("?period=week&group_by=tenant", RunningGateway.DemoKey);
        var byClient = await Spend("?period=month&group_by=client", RunningGateway.DemoKey);
        var byModel = await Spend("?group_by=model", RunningGateway.DemoKey);
        var own = await Spend("?group_by=key", RunningGateway.LimitedKey);

        var keys = byKey.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Contains("test", keys);
        Assert.Contains("limited", keys);
        Assert.True(byKey.GetProperty("total").GetDecimal() > 0m, "the emulator's gpt-4o-mini calls are priced");
        Assert.Contains("team-b", byTenant.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Contains("fast", byClient.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Contains("gpt-4o-mini", byModel.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(["limited"], own.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.True(byKey.GetProperty("series").GetArrayLength() >= 24);
    }

    [Fact]
    public async Task InStreamError_AfterTheFirstByte_AnthropicErrorEvent()
    {
        Gateway.Emulator.Faults.Enqueue(new() { MalformedChunkAt = 3 });
        using var response = await Gateway.Http.SendAsync(Gateway.Post("/v1/messages", Messages.Replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\"", StringComparison.Ordinal), xApiKey: true), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("event: message_start", text, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:Keys:bad:KeyHash", "sk-pasted-key-by-mistake", "Gateway:Keys:bad:KeyHash is not 64 hex digits")]
    [InlineData("Gateway:Keys:test:Clients:0", "nope", "Gateway:Keys:test:Clients names 'nope'")]
    [InlineData("Gateway:Keys:rpm:RateLimit:RequestsPerMinute", "many", "Gateway:Keys:rpm:RateLimit")]
    [InlineData("Gateway:Aliases:gpt-x", "missing", "Gateway:Aliases:gpt-x names 'missing'")]
    public async Task InvalidConfiguration_StopsTheStart_NamingThePath_NeverTheValueOfAKeyHash(string path, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningGateway.StartAsync(new Dictionary<string, string?> { [path] = value }, Ct));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, f => f.Contains("sk-pasted-key-by-mistake", StringComparison.Ordinal));
    }
}

// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using LlmAdapters.TestUtilities.Redis;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// Two gateway processes on one real redis-server (<c>AI:Redis:Configuration</c>): a key's rate limit and budget are
/// one across both, not one per replica, and both report the same spend from the shared ledger.
/// </summary>
public sealed class GatewayRedisTests
{
    private const string Key = "sk-test-replicas-4Rt8Yu1Io";
    private const string AdminKey = "sk-test-replicas-admin-8Pw2Qe5";
    private const string Chat = """{"model":"default","max_tokens":40,"messages":[{"role":"user","content":"Hi"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KeyRateLimit_HoldsAcrossTwoGatewayProcesses()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis, ("RateLimit:RequestsPerMinute", "3"), ("RateLimit:QueueLimit", "0"));
        await using var a = await GatewayProcess.StartAsync(settings, Ct);
        await using var b = await GatewayProcess.StartAsync(settings, Ct);

        var statuses = new List<HttpStatusCode>();
        foreach (var gateway in new[] { a, b, a, b })
        {
            using var response = await gateway.Http.SendAsync(Post(), Ct);
            statuses.Add(response.StatusCode);
        }

        // Three requests in the minute for the key, whichever replica took them; the fourth is refused.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task KeyBudget_HoldsAcrossTwoGatewayProcesses()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis, ("Budget:Daily", "0.0002"));
        await using var a = await GatewayProcess.StartAsync(settings, Ct);
        await using var b = await GatewayProcess.StartAsync(settings, Ct);

        var served = 0;
        HttpStatusCode last = HttpStatusCode.OK;
        for (var i = 0; i < 200 && last == HttpStatusCode.OK; i++)
        {
            using var response = await (i % 2 == 0 ? a : b).Http.SendAsync(Post(), Ct);
            last = response.StatusCode;
            served += last == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.True(served >= 2, $"both replicas served before the budget was spent ({served})");

        // Spent for the key, on both replicas: the other one refuses too.
        using var a2 = await a.Http.SendAsync(Post(), Ct);
        using var b2 = await b.Http.SendAsync(Post(), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, a2.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, b2.StatusCode);
    }

    [Fact]
    public async Task Spend_IsReadFromTheSharedLedger_EitherReplicaShowsTheCallsOfBoth()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis, ("Tenant", "team-r"));
        settings["Gateway:Keys:admin:KeyHash"] = RunningGateway.Hash(AdminKey);
        settings["Gateway:Keys:admin:Admin"] = "true";
        await using var a = await GatewayProcess.StartAsync(settings, Ct);
        await using var b = await GatewayProcess.StartAsync(settings, Ct);

        // Through each replica: JSON and streamed, OpenAI's door and Anthropic's, two keys.
        foreach (var (gateway, path, body, key) in new[]
        {
            (a, "/v1/chat/completions", Chat, Key),
            (b, "/v1/chat/completions", Chat.Replace("{\"model\"", "{\"stream\":true,\"model\"", StringComparison.Ordinal), Key),
            (b, "/v1/messages", Chat, AdminKey),
        })
        {
            using var response = await gateway.Http.SendAsync(Post(path, body, key), Ct);
            await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The ledger's writes are fire-and-forget: read until the three calls are in (bounded), then compare replicas.
        JsonElement fromA = default, fromB = default;
        for (var i = 0; i < 50; i++)
        {
            fromA = await SpendAsync(a, "?period=day&group_by=key");
            fromB = await SpendAsync(b, "?period=day&group_by=key");
            if (fromA.GetProperty("calls").GetInt64() == 3 && fromB.GetProperty("calls").GetInt64() == 3)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, Ct);
        }

        Assert.Equal(3, fromA.GetProperty("calls").GetInt64());
        Assert.Equal(fromA.GetProperty("groups").GetRawText(), fromB.GetProperty("groups").GetRawText());
        Assert.True(fromA.GetProperty("total").GetDecimal() > 0m, "the emulator's calls are priced");
        Assert.Equal(2, Group(fromB, "replicas").GetProperty("calls").GetInt64());
        Assert.Equal(1, Group(fromA, "admin").GetProperty("calls").GetInt64());
        Assert.Equal(2, Group(await SpendAsync(a, "?period=week&group_by=tenant"), "team-r").GetProperty("calls").GetInt64());
        Assert.Equal(3, Group(await SpendAsync(b, "?period=month&group_by=client"), "default").GetProperty("calls").GetInt64());

        // A key that is not an admin sees its own calls, made on both replicas.
        using var own = new HttpRequestMessage(HttpMethod.Get, "/v1/spend?group_by=key");
        own.Headers.Authorization = new("Bearer", Key);
        using var ownResponse = await a.Http.SendAsync(own, Ct);
        var mine = JsonDocument.Parse(await ownResponse.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(["replicas"], mine.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(2, mine.GetProperty("calls").GetInt64());

        static JsonElement Group(JsonElement report, string name) =>
            report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == name);
    }

    private static async Task<JsonElement> SpendAsync(GatewayProcess gateway, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/spend" + query);
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var response = await gateway.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static Dictionary<string, string> Settings(RedisServer redis, params (string Key, string Value)[] keySettings)
    {
        var settings = new Dictionary<string, string>
        {
            ["AI:Provider"] = "emulator",
            ["AI:Redis:Configuration"] = redis.Configuration,
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
            ["Emulator:ChunkDelay"] = "00:00:00",
            ["Gateway:Keys:replicas:KeyHash"] = RunningGateway.Hash(Key),
        };
        foreach (var (key, value) in keySettings)
        {
            settings["Gateway:Keys:replicas:" + key] = value;
        }

        return settings;
    }

    private static HttpRequestMessage Post(string path = "/v1/chat/completions", string body = Chat, string key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", key);
        return request;
    }
}

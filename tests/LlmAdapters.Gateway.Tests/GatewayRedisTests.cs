// Licensed under the MIT License.

using System.Net;
using System.Text;
using LlmAdapters.TestUtilities.Redis;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// Two gateway processes on one real redis-server (<c>AI:Redis:Configuration</c>): a key's rate limit and budget are
/// one across both, not one per replica.
/// </summary>
public sealed class GatewayRedisTests
{
    private const string Key = "sk-test-replicas-4Rt8Yu1Io";
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

    private static HttpRequestMessage Post()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Chat, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Key);
        return request;
    }
}

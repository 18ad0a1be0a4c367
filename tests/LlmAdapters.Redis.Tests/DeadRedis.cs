// Licensed under the MIT License.

using StackExchange.Redis;

namespace LlmAdapters.Redis.Tests;

/// <summary>A connection to a port where nothing listens: every command fails at once, as during an outage.</summary>
internal static class DeadRedis
{
    public static IConnectionMultiplexer Connect() =>
        ConnectionMultiplexer.Connect(RedisConnection.Parse("127.0.0.1:1,abortConnect=false,connectTimeout=200,connectRetry=0", "AI:Redis:Configuration"));
}

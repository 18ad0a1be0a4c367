// Licensed under the MIT License.

using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>Opens the connection to Redis from <c>AI:Redis:Configuration</c>, with messages that name the key.</summary>
internal static class RedisConnection
{
    /// <summary>Parses a StackExchange.Redis connection string.</summary>
    /// <param name="configuration">The connection string.</param>
    /// <param name="key">The configuration key it came from, for messages (e.g. <c>AI:Redis:Configuration</c>).</param>
    /// <returns>The options; unless the string says otherwise, commands fail at once while disconnected (no backlog), so that each concern's failure policy applies without waiting.</returns>
    /// <exception cref="InvalidOperationException">The string is empty or not a valid connection string.</exception>
    public static ConfigurationOptions Parse(string? configuration, string key)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new InvalidOperationException($"{key} is empty: set it to a StackExchange.Redis connection string such as 'localhost:6379', or remove the Redis section to keep the state in process.");
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{key} is not a valid StackExchange.Redis connection string: {LlmAdapters.SecretRedactor.Redact(ex.Message)}", ex);
        }

        if (options.EndPoints.Count == 0)
        {
            throw new InvalidOperationException($"{key} names no Redis endpoint: expected e.g. 'localhost:6379'.");
        }

        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    /// <summary>Connects to Redis.</summary>
    /// <param name="configuration">The connection string.</param>
    /// <param name="key">The configuration key it came from, for messages.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The connection, to share.</returns>
    /// <exception cref="InvalidOperationException">The string is invalid, or Redis is unreachable (unless it says <c>abortConnect=false</c>).</exception>
    public static async Task<IConnectionMultiplexer> ConnectAsync(string? configuration, string key, CancellationToken cancellationToken = default)
    {
        var options = Parse(configuration, key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            throw Unreachable(options, key, ex);
        }
    }

    /// <summary>Connects to Redis, for DI factories that cannot wait asynchronously.</summary>
    /// <param name="configuration">The connection string.</param>
    /// <param name="key">The configuration key it came from, for messages.</param>
    /// <returns>The connection, to share.</returns>
    /// <exception cref="InvalidOperationException">The string is invalid, or Redis is unreachable (unless it says <c>abortConnect=false</c>).</exception>
    public static IConnectionMultiplexer Connect(string? configuration, string key)
    {
        var options = Parse(configuration, key);
        try
        {
            return ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException ex)
        {
            throw Unreachable(options, key, ex);
        }
    }

    private static InvalidOperationException Unreachable(ConfigurationOptions options, string key, RedisConnectionException ex) =>
        new($"Redis is unreachable at {string.Join(", ", options.EndPoints)} ({key}): {ex.FailureType}. Start Redis, correct {key}, or add 'abortConnect=false' to start without it (each concern then follows its failure policy).", ex);
}

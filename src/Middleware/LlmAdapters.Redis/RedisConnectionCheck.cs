// Licensed under the MIT License.

using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// Connects to Redis when the host starts (<c>ValidateOnStart</c>), so that a bad or unreachable <c>AI:Redis:Configuration</c>
/// fails the start with its message rather than the first request.
/// </summary>
internal sealed class RedisConnectionCheck
{
    internal sealed class Validator(IServiceProvider services) : IValidateOptions<RedisConnectionCheck>
    {
        public ValidateOptionsResult Validate(string? name, RedisConnectionCheck options)
        {
            try
            {
                _ = services.GetService(typeof(IConnectionMultiplexer));
                return ValidateOptionsResult.Success;
            }
            catch (InvalidOperationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}

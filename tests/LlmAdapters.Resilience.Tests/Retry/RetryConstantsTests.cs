// Licensed under the MIT License.

namespace LlmAdapters.Resilience.Tests.Retry;

public sealed class RetryConstantsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new RetryChatClientOptions();

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.True(options.UseJitter);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    [Fact]
    public void OtherDefaults_AreDocumentedValues()
    {
        var fallback = new FallbackChatClientOptions();
        Assert.Equal(5, fallback.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), fallback.SamplingWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), fallback.BreakDuration);
        Assert.Equal(
            [ChatProviderErrorKind.RateLimited, ChatProviderErrorKind.Overloaded, ChatProviderErrorKind.ModelNotFound, ChatProviderErrorKind.Timeout, ChatProviderErrorKind.Unavailable],
            fallback.FailOverOn.Order());

        var rate = new RateLimitingChatClientOptions();
        Assert.Equal(128, rate.QueueLimit);
        Assert.False(rate.HasLimits);

        var keys = new ApiKeyRotationChatClientOptions();
        Assert.Equal(ApiKeySelectionStrategy.RoundRobin, keys.Strategy);
        Assert.Equal(TimeSpan.FromSeconds(60), keys.Cooldown);
        Assert.Equal(TimeSpan.FromMinutes(15), keys.AuthenticationCooldown);
        Assert.Equal([ChatProviderErrorKind.RateLimited, ChatProviderErrorKind.Authentication], keys.CooldownOn.Order());

        var timeout = new TimeoutChatClientOptions();
        Assert.Null(timeout.Timeout);
        Assert.Null(timeout.FirstUpdateTimeout);
    }
}

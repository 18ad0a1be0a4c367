// Licensed under the MIT License.

using System.Net;

namespace LlmAdapters.Core.Tests.Errors;

public sealed class ChatProviderExceptionTests
{
    [Theory]
    [InlineData(ChatProviderErrorKind.Unknown, false)]
    [InlineData(ChatProviderErrorKind.RateLimited, true)]
    [InlineData(ChatProviderErrorKind.Overloaded, true)]
    [InlineData(ChatProviderErrorKind.Authentication, false)]
    [InlineData(ChatProviderErrorKind.PermissionDenied, false)]
    [InlineData(ChatProviderErrorKind.ModelNotFound, false)]
    [InlineData(ChatProviderErrorKind.ContextLengthExceeded, false)]
    [InlineData(ChatProviderErrorKind.ContentFiltered, false)]
    [InlineData(ChatProviderErrorKind.InvalidRequest, false)]
    [InlineData(ChatProviderErrorKind.Timeout, true)]
    [InlineData(ChatProviderErrorKind.Unavailable, true)]
    public void IsTransient_Default_FollowsKind(ChatProviderErrorKind kind, bool transient)
    {
        Assert.Equal(transient, ChatProviderException.IsTransientKind(kind));
        Assert.Equal(transient, new ChatProviderException(kind, "p", null).IsTransient);
    }

    [Fact]
    public void IsTransientKind_CoversEveryKind() =>
        Assert.Equal(
            [ChatProviderErrorKind.RateLimited, ChatProviderErrorKind.Overloaded, ChatProviderErrorKind.Timeout, ChatProviderErrorKind.Unavailable],
            Enum.GetValues<ChatProviderErrorKind>().Where(ChatProviderException.IsTransientKind));

    [Fact]
    public void Message_AllParts_Formatted()
    {
        var ex = new ChatProviderException(ChatProviderErrorKind.RateLimited, "openai", "Slow down.", HttpStatusCode.TooManyRequests)
        {
            ErrorCode = "rate_limit_exceeded",
            ErrorType = "tokens",
            RetryAfter = TimeSpan.FromMilliseconds(1500),
            RequestId = "req_1",
        };

        Assert.Equal("openai request failed: RateLimited (HTTP 429, rate_limit_exceeded): Slow down. Retry after 1.5 s. Request id: req_1.", ex.Message);
        Assert.IsAssignableFrom<HttpRequestException>(ex);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
    }

    [Fact]
    public void Message_Minimal_Formatted() =>
        Assert.Equal("vllm request failed: Unavailable", new ChatProviderException(ChatProviderErrorKind.Unavailable, "vllm", null).Message);

    [Fact]
    public void RawBody_Long_Truncated()
    {
        var ex = new ChatProviderException(ChatProviderErrorKind.Unknown, "p", null) { RawBody = new string('x', 10_000) };

        Assert.Equal(ChatProviderException.MaxRawBodyLength + 1, ex.RawBody!.Length);
        Assert.EndsWith("x…", ex.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_InvalidArgs_Throws()
    {
        Assert.Throws<ArgumentException>("providerName", () => new ChatProviderException(ChatProviderErrorKind.Unknown, " ", null));
        Assert.Throws<ArgumentNullException>("providerName", () => new ChatProviderException(ChatProviderErrorKind.Unknown, null!, null));
    }

    [Fact]
    public void IsTransient_QuotaOverride_Kept()
    {
        var ex = new ChatProviderException(ChatProviderErrorKind.RateLimited, "openai", "quota") { IsTransient = false };

        Assert.False(ex.IsTransient);
        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
    }
}

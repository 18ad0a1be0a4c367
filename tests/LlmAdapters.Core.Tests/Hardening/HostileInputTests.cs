// Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Core.Tests.Hardening;

/// <summary>Issue 13: hostile headers, bodies and keys never throw, never leak, never pass silently.</summary>
public sealed class HostileInputTests
{
    // Key-shaped, not real.
    private const string Key = "sk-proj-Hq7Lw2Zt9Km4Xp1Rs8Vb3Nc6Jd0Fg5Ty2Ua7Ie4Oo";
    private const string AnthropicKey = "sk-ant-api03-Zx8Cv2Bn6Mm1Ll9Kk3Jj7Hh5Gg0Ff4Dd";
    private const string GoogleKey = "AIzaSyQ1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHh";

    public static TheoryData<string, string> GluedKeys { get; } = new()
    {
        { $"https://gw.example/v1?alt=sse&x=1&key={Key}", Key },
        { $"key={Key}", Key },
        { $"api_key={AnthropicKey}&x=1", AnthropicKey },
        { $"token%20{Key}", Key },
        { $"Authorization:%20Bearer%20{Key}", Key },
        { $"id_{Key}", Key },
        { $"request-9{Key}", Key },
        { $"x{AnthropicKey}", AnthropicKey },
        { $"prefix{GoogleKey}suffix", GoogleKey },
        { $"\"apiKey\":\"{Key}\"", Key },
        { $"key:{Key}", Key },
    };

    [Theory]
    [MemberData(nameof(GluedKeys))]
    public void Redact_KeyGluedToTextBeforeIt_Masked(string text, string key)
    {
        var redacted = SecretRedactor.Redact(text)!;

        Assert.DoesNotContain(key, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(GluedKeys))]
    public void ChatProviderException_EveryStringField_Redacted(string text, string key)
    {
        var ex = new ChatProviderException(ChatProviderErrorKind.Unavailable, "p", text, System.Net.HttpStatusCode.BadGateway, new IOException(text))
        {
            RequestId = text,
            ErrorType = text,
            ErrorCode = text,
            RawBody = text,
        };

        foreach (var value in new[] { ex.Message, ex.ToString(), ex.ProviderMessage, ex.RawBody, ex.RequestId, ex.ErrorType, ex.ErrorCode })
        {
            Assert.DoesNotContain(key, value ?? string.Empty, StringComparison.Ordinal);
        }

        Assert.Empty(ex.Data);
    }

    [Theory]
    [InlineData("x-request-id")]
    [InlineData("request-id")]
    [InlineData("x-dashscope-request-id")]
    public void FromStatus_RequestIdHeaderEchoesKey_Redacted(string header)
    {
        var ex = ChatProviderErrors.FromStatus("p", 500, "{}", name => name == header ? "req_" + Key : null, TimeProvider.System);

        Assert.NotNull(ex.RequestId);
        Assert.DoesNotContain(Key, ex.RequestId, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retry-after", "1e20")]
    [InlineData("retry-after", "Infinity")]
    [InlineData("retry-after", "1e308")]
    [InlineData("retry-after", "99999999999999")]
    [InlineData("retry-after", "999999999999999999999999")]
    [InlineData("retry-after-ms", "1e20")]
    [InlineData("retry-after-ms", "Infinity")]
    [InlineData("retry-after-ms", "99999999999999999")]
    public void Parse_WaitTooLargeForTimeSpan_CappedNotThrown(string header, string value)
    {
        var delay = RetryAfterParser.Parse(name => name == header ? value : null, new FakeTimeProvider());

        Assert.Equal(RetryAfterParser.MaxDelay, delay);
    }

    [Theory]
    [InlineData("x-ratelimit-reset-tokens", "99999999999999h")]
    [InlineData("x-ratelimit-reset-requests", "999999999999999999999999m")]
    public void Parse_ResetTooLargeForTimeSpan_CappedNotThrown(string header, string value)
    {
        var delay = RetryAfterParser.Parse(
            name => name == header ? value : name == header.Replace("-reset", "-remaining", StringComparison.Ordinal) ? "0" : null,
            new FakeTimeProvider());

        Assert.Equal(RetryAfterParser.MaxDelay, delay);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    [InlineData("-5")]
    public void Parse_WaitNotANumberOrNegative_Null(string value) =>
        Assert.Null(RetryAfterParser.Parse(name => name == "retry-after-ms" ? value : null, new FakeTimeProvider()));

    [Theory]
    [InlineData(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")]
    [InlineData(503, "<!DOCTYPE html><html><body>Service Unavailable</body></html>")]
    [InlineData(200, "<html><body>captive portal</body></html>")]
    public void FromStatus_HtmlErrorPage_StatusKeptMessageShortBodyInRawBody(int status, string page)
    {
        var body = page + new string('x', 20_000) + " " + Key;

        var ex = ChatProviderErrors.FromStatus("p", status, body, _ => null, TimeProvider.System);

        Assert.Equal(status, (int?)ex.StatusCode);
        Assert.DoesNotContain("<html", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(ex.Message.Length < 300, ex.Message);
        Assert.StartsWith(page[..20], ex.RawBody, StringComparison.Ordinal);
        Assert.True(ex.RawBody!.Length <= ChatProviderException.MaxRawBodyLength + 1);
    }

    [Fact]
    public void ProviderMessage_Long_Capped()
    {
        var ex = new ChatProviderException(ChatProviderErrorKind.Unknown, "p", new string('m', 100_000));

        Assert.True(ex.ProviderMessage!.Length <= ChatProviderException.MaxProviderMessageLength + 1);
        Assert.True(ex.Message.Length < ChatProviderException.MaxProviderMessageLength + 100);
    }

    public static TheoryData<string> BadKeys { get; } = new()
    {
        Key + "\n",
        Key + "\r\n",
        "sk-abc\r\nX-Injected: 1",
        "\t" + Key,
        Key + "\0",
        Key + "\u007f",
        "sk-clé-secrète-12345678",
        "sk-abc def",
        Key + "\u00a0",
        Key + "\u2028",
        "ключ-1234567890",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void ApiKeyRules_BadKey_RejectedWithPathNeverTheKey(string key)
    {
        Assert.NotNull(ApiKeyRules.GetProblem(key));

        var ex = Assert.Throws<ArgumentException>(() => ApiKeyRules.Validate(key, "AI:Clients:main:ApiKey"));

        Assert.Contains("AI:Clients:main:ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Key)]
    [InlineData(AnthropicKey)]
    [InlineData("local-vllm-token_with.odd~chars!")]
    public void ApiKeyRules_GoodKey_Accepted(string? key)
    {
        Assert.Null(ApiKeyRules.GetProblem(key));
        ApiKeyRules.Validate(key, "options.ApiKey");
    }
}

// Licensed under the MIT License.

using System.Net;

namespace LlmAdapters.Core.Tests.Errors;

public sealed class SecretRedactorTests
{
    // Key-shaped strings, not real keys.
    private const string OpenAIProjectKey = "sk-proj-Xy7Qw3Rt9Lm2Np5Kj8Hg4Fd1Sa6Zx0Cv3Bn7Mq9Wp2Er5Ty8Ui1Op4As7Df0GhT3BlbkFJ";
    private const string OpenAILegacyKey = "sk-4fJ9sK2mQ7xL1pR8vT3nB6cH0wZ5yD9eA2gU7iO4kM1q";
    private const string AnthropicKey = "sk-ant-api03-Qx8Ls2Kd9Fj4Hg7Ty1Rw5Ez3Va6Nb0Mc8Xp2Lo4Ki7Ju9Hy1Gt3Fr5De7Sw0Aq-2Zx4Cv6AA";
    private const string GoogleKey = "AIzaSyD4x8K2mQ9vL1pR7tN3bC6hW0zY5jE8gU2";
    private const string GroqKey = "gsk_Rk3Lm9Pq2Xw7Vt4Yz8Ab1Cd5Ef6Gh0Ij";
    private const string BearerToken = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
    private const string QueryKey = "q1w2e3r4t5y6u7i8o9p0";

    public static TheoryData<string, string> Secrets { get; } = new()
    {
        { $"Incorrect API key provided: {OpenAIProjectKey}. You can find your API key at https://platform.openai.com/account/api-keys.", OpenAIProjectKey },
        { $"Incorrect API key provided: {OpenAILegacyKey}.", OpenAILegacyKey },
        { $"invalid x-api-key: {AnthropicKey}", AnthropicKey },
        { $"API key not valid: {GoogleKey}", GoogleKey },
        { $"Invalid API Key {GroqKey}", GroqKey },
        { $"Authorization: Bearer {BearerToken} was rejected", BearerToken },
        { $"POST https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key={GoogleKey} failed", GoogleKey },
        { $"GET https://example.com/v1/models?alt=sse&api_key={QueryKey}&x=1 failed", QueryKey },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Redact_KeyShapedText_Masked(string text, string secret)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.NotNull(redacted);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_Key_KeepsFirstFourCharacters()
    {
        Assert.Equal("key sk-p*** end", SecretRedactor.Redact($"key {OpenAIProjectKey} end"));
        Assert.Equal("key sk-a*** end", SecretRedactor.Redact($"key {AnthropicKey} end"));
        Assert.Equal("key AIza*** end", SecretRedactor.Redact($"key {GoogleKey} end"));
        Assert.Equal("Authorization: Bearer ***", SecretRedactor.Redact($"Authorization: Bearer {BearerToken}"));
        Assert.Equal("https://x/y?key=***&alt=sse", SecretRedactor.Redact($"https://x/y?key={QueryKey}&alt=sse"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("The model `gpt-9` does not exist or you do not have access to it.")]
    [InlineData("Incorrect API key provided: sk-proj-****************************abcd.")]
    [InlineData("task-manager-service is down")]
    public void Redact_NothingSecret_Unchanged(string? text) => Assert.Equal(text, SecretRedactor.Redact(text));

    [Fact]
    public void Redact_KnownSecret_MaskedEvenWhenNotKeyShaped()
    {
        Assert.Equal("key *** rejected", SecretRedactor.Redact("key local-vllm-secret rejected", "local-vllm-secret"));
        Assert.Equal("key short rejected", SecretRedactor.Redact("key short rejected", "short"));
        Assert.Null(SecretRedactor.Redact(null, "local-vllm-secret"));
    }

    // Issue 20, N3/N4: a configured key echoed in another encoding than its own.
    public static TheoryData<string, string> EncodedEchoes { get; } = new()
    {
        { "hostile-gateway-token-Q7w2E9r4", "percent %s" },
        { "hostile-gateway-token-Q7w2E9r4", "every byte %S" },
        { "hostile-gateway-token-Q7w2E9r4", "json {\"message\":\"%j\"}" },
        { "hostile-gateway-token-Q7w2E9r4", "base64 %b" },
        { "hostile-gateway-token-Q7w2E9r4", "basic %B" },
        { "gw+tok/en=Zq8Rk2Lw9Xv4", "percent %s" },
        { "gw+tok/en=Zq8Rk2Lw9Xv4", "json %j" },
        { "gw+tok/en=Zq8Rk2Lw9Xv4", "json slash %/" },
        { "gw+tok/en=Zq8Rk2Lw9Xv4", "base64 %b" },
        { "gw+tok/en=Zq8Rk2Lw9Xv4", "base64url %u" },
    };

    [Theory]
    [MemberData(nameof(EncodedEchoes))]
    public void Redact_KnownSecretInAnotherEncoding_Masked(string secret, string template)
    {
        var placeholder = template[template.IndexOf('%', StringComparison.Ordinal)..][..2];
        var encoded = Encode(secret, placeholder[1]);
        var text = template.Replace(placeholder, encoded, StringComparison.Ordinal);

        var redacted = SecretRedactor.Redact(text, secret)!;

        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(encoded.Substring(encoded.Length / 4, encoded.Length / 2), redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_KeyShapedEchoPercentOrJsonEscaped_Masked()
    {
        Assert.DoesNotContain("Hq7Lw2Zt9Km4", SecretRedactor.Redact("bad key sk%2Dproj%2DHq7Lw2Zt9Km4Xp1Rs8Vb3Nc6Jd0Fg5"), StringComparison.Ordinal);
        Assert.DoesNotContain("Hq7Lw2Zt9Km4", SecretRedactor.Redact("bad key sk\\u002dproj\\u002DHq7Lw2Zt9Km4Xp1Rs8Vb3Nc6Jd0Fg5"), StringComparison.Ordinal);
    }

    private static string Encode(string secret, char form)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
        return form switch
        {
            's' => Uri.EscapeDataString(secret).Replace("-", "%2D", StringComparison.Ordinal),
            'S' => string.Concat(bytes.Select(b => "%" + b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
            'j' => string.Concat(secret.Select(c => char.IsLetterOrDigit(c) ? c.ToString() : "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture))),
            '/' => secret.Replace("/", "\\/", StringComparison.Ordinal),
            'b' => Convert.ToBase64String(bytes),
            'B' => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:" + secret)),
            'u' => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void FromStatus_BodyEchoesSecret_SecretAppearsNowhere(string text, string secret)
    {
        var body = $$$"""{"error":{"message":{{{System.Text.Json.JsonSerializer.Serialize(text)}}},"type":"invalid_request_error","code":"invalid_api_key"}}""";

        var ex = ChatProviderErrors.FromStatus("p", 401, body, _ => null, TimeProvider.System);

        AssertNowhere(ex, secret);
        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void FromException_TransportMessageQuotesSecret_SecretAppearsNowhere(string text, string secret)
    {
        var ex = ChatProviderErrors.FromException("p", new HttpRequestException(text, new IOException(text)), CancellationToken.None);

        Assert.NotNull(ex);
        AssertNowhere(ex, secret);
        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Ctor_SecretInEveryField_SecretAppearsNowhere(string text, string secret)
    {
        var ex = new ChatProviderException(ChatProviderErrorKind.Authentication, "p", text, HttpStatusCode.Unauthorized, new InvalidOperationException(text))
        {
            ErrorType = text,
            ErrorCode = text,
            RequestId = text,
            RawBody = text,
        };

        AssertNowhere(ex, secret);
    }

    private static void AssertNowhere(ChatProviderException ex, string secret)
    {
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ProviderMessage ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.RawBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(ex.Data);
    }
}

// Licensed under the MIT License.

using LlmAdapters.TestUtilities;

namespace LlmAdapters.Core.Tests.Errors;

public sealed class ProviderErrorInfoTests
{
    [Fact]
    public void Parse_OpenAINested_ReadsTypeCodeMessage()
    {
        var info = ProviderErrorInfo.Parse(Fixture.Text("openai/error-400-context-length.json"));

        Assert.Equal(new ProviderErrorInfo(
            "invalid_request_error",
            "context_length_exceeded",
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
            null,
            null), info);
    }

    [Fact]
    public void Parse_AzureNumericStatus_IsNotTheType()
    {
        var info = ProviderErrorInfo.Parse(Fixture.Text("openai/error-400-content-filter.json"));

        Assert.Null(info.Type);
        Assert.Equal("content_filter", info.Code);
    }

    [Fact]
    public void Parse_VllmFlat_ReadsTypeNumericCodeMessage()
    {
        var info = ProviderErrorInfo.Parse(Fixture.Text("openai/error-404-vllm-model.json"));

        Assert.Equal(new ProviderErrorInfo("NotFoundError", "404", "The model `llama-3-70b` does not exist.", null, null), info);
    }

    [Fact]
    public void Parse_GeminiRetryInfo_ReadsStatusAndRetryDelay()
    {
        var info = ProviderErrorInfo.Parse(RecordedError.Load("gemini/error-429-resource-exhausted.json", 0).Body);

        Assert.Equal("RESOURCE_EXHAUSTED", info.Type);
        Assert.Equal("429", info.Code);
        Assert.Equal("You exceeded your current quota, please check your plan.", info.Message);
        Assert.Equal(TimeSpan.FromSeconds(34.4), info.RetryAfter);
    }

    [Fact]
    public void Parse_GeminiArrayEnvelope_ReadsFirstElement()
    {
        var info = ProviderErrorInfo.Parse(RecordedError.Load("gemini/error-400-missing-thought-signature.json", 0).Body);

        Assert.Equal("INVALID_ARGUMENT", info.Type);
        Assert.Equal("400", info.Code);
        Assert.StartsWith("Function call is missing a thought_signature", info.Message, StringComparison.Ordinal);
        Assert.Null(info.RetryAfter);
    }

    [Fact]
    public void Parse_GeminiDebugInfoOnly_NoRetryDelay()
    {
        var info = ProviderErrorInfo.Parse(RecordedError.Load("gemini/error-404-model-not-found.json", 0).Body);

        Assert.Equal("NOT_FOUND", info.Type);
        Assert.Null(info.RetryAfter);
    }

    [Fact]
    public void Parse_DashScopeFlat_ReadsCodeMessageRequestId()
    {
        var info = ProviderErrorInfo.Parse(RecordedError.Load("dashscope/native-error-401-invalid-api-key.json", 0).Body);

        Assert.Equal(new ProviderErrorInfo(null, "InvalidApiKey", "Invalid API-key provided.", "fb53c4ec-0000-0000-0000-000000000000", null), info);
    }

    [Fact]
    public void Parse_OllamaString_ReadsMessage()
    {
        var info = ProviderErrorInfo.Parse(RecordedError.Load("ollama/error-404-model-not-found.json", 0).Body);

        Assert.Equal(new ProviderErrorInfo(null, null, "model 'llama3.3:70b' not found", null, null), info);
    }

    [Fact]
    public void Parse_AnthropicEnvelope_ReadsTypeMessageRequestId()
    {
        var info = ProviderErrorInfo.Parse(RecordedError.Load("anthropic/error-429-rate-limit.json", 0).Body);

        Assert.Equal("rate_limit_error", info.Type);
        Assert.Null(info.Code);
        Assert.Equal("req_011CYK5n67SytMUxm8WMZUWY", info.RequestId);
        Assert.StartsWith("This request would exceed your organization's rate limit", info.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_NoBody_ReturnsEmpty(string? body) => Assert.Equal(new ProviderErrorInfo(null, null, null, null, null), ProviderErrorInfo.Parse(body));

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>\n", "<html><body>502 Bad Gateway</body></html>")]
    [InlineData("upstream connect error", "upstream connect error")]
    [InlineData("{\"error\":", "{\"error\":")]
    [InlineData("42", "42")]
    public void Parse_NotAnEnvelope_BodyBecomesMessage(string body, string message)
    {
        var info = ProviderErrorInfo.Parse(body);

        Assert.Equal(message, info.Message);
        Assert.Null(info.Type);
        Assert.Null(info.Code);
    }
}

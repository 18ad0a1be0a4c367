// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Core.Tests.Native;

/// <summary>The helpers the native adapters share: the response-size key, the request-mapping helpers and the error copy.</summary>
public sealed class NativeHelpersTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", null)]
    [InlineData("1024", 1024L)]
    [InlineData(" 1048576 ", 1048576L)]
    [InlineData("1073741824", 1073741824L)]
    public void ResponseSizeLimit_ValidOrUnset_ReadsWithoutProblems(string? text, long? expected)
    {
        Assert.Equal(expected, ResponseSizeLimit.Read(text));
        Assert.Empty(ResponseSizeLimit.Validate(text, "AI:MaxResponseBytes"));
    }

    [Theory]
    [InlineData("1023")]
    [InlineData("1073741825")]
    [InlineData("-1024")]
    [InlineData("+2048")]
    [InlineData("2e3")]
    [InlineData("32MiB")]
    [InlineData("NaN")]
    [InlineData("999999999999999999999")]
    public void ResponseSizeLimit_Bad_IsOneMessageNamingThePath_AndReadThrows(string text)
    {
        var message = Assert.Single(ResponseSizeLimit.Validate(text, "AI:Clients:x:MaxResponseBytes"));

        Assert.Equal($"AI:Clients:x:MaxResponseBytes is '{text}', which is not a whole number of bytes from 1024 (1 KiB) to 1073741824 (1 GiB).", message);
        var ex = Assert.Throws<InvalidOperationException>(() => ResponseSizeLimit.Read(text));
        Assert.StartsWith("MaxResponseBytes is '", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetSamplingOptions_WritesOnlyWhatIsSet_UnderTheProvidersOutputLimitName()
    {
        var parameters = new Dictionary<string, JsonElement>();
        NativeJson.SetSamplingOptions(parameters, new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 64, StopSequences = ["END"] }, "num_predict");

        Assert.Equal(["temperature", "num_predict", "stop"], parameters.Keys);
        Assert.Equal(0.5, parameters["temperature"].GetDouble());
        Assert.Equal(64, parameters["num_predict"].GetInt32());
        Assert.Equal("""["END"]""", parameters["stop"].GetRawText());

        var none = new Dictionary<string, JsonElement>();
        NativeJson.SetSamplingOptions(none, null, "max_tokens");
        Assert.Empty(none);
    }

    [Fact]
    public void FunctionResultText_StringsAsThey_AreOthersAsCompactJson()
    {
        Assert.Equal(string.Empty, NativeJson.FunctionResultText(null));
        Assert.Equal("sunny", NativeJson.FunctionResultText("sunny"));
        Assert.Equal("sunny", NativeJson.FunctionResultText(JsonSerializer.SerializeToElement("sunny")));
        Assert.Equal("""{"temp":21}""", NativeJson.FunctionResultText(new Dictionary<string, object?> { ["temp"] = 21 }));
        Assert.Equal("tool", NativeJson.RoleName(ChatRole.Tool));
        Assert.Equal("critic", NativeJson.RoleName(new ChatRole("critic")));
    }

    [Fact]
    public void With_ChangesWhatIsGiven_AndKeepsEveryOtherMember()
    {
        var inner = new IOException("cut");
        var original = new ChatProviderException(ChatProviderErrorKind.InvalidRequest, "p", "Model not exist.", HttpStatusCode.BadRequest, inner)
        {
            ErrorType = "type",
            ErrorCode = "code",
            RequestId = "req-1",
            RetryAfter = TimeSpan.FromSeconds(3),
            RawBody = "{}",
        };

        var copy = original.With(ChatProviderErrorKind.ModelNotFound, isTransient: true);

        Assert.Equal(ChatProviderErrorKind.ModelNotFound, copy.Kind);
        Assert.True(copy.IsTransient);
        Assert.Equal(("p", "Model not exist.", HttpStatusCode.BadRequest, "type", "code", "req-1", "{}"), (copy.ProviderName, copy.ProviderMessage, copy.StatusCode, copy.ErrorType, copy.ErrorCode, copy.RequestId, copy.RawBody));
        Assert.Equal(TimeSpan.FromSeconds(3), copy.RetryAfter);
        Assert.Same(inner, copy.InnerException);

        var renamed = original.With(providerMessage: "other", requestId: "req-2");
        Assert.Equal((ChatProviderErrorKind.InvalidRequest, false, "other", "req-2"), (renamed.Kind, renamed.IsTransient, renamed.ProviderMessage, renamed.RequestId));
    }
}

// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Gemini.Internal.Dto;

/// <summary>A <c>Content</c>: a role and its parts (requests and responses).</summary>
internal sealed class GeminiContent
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("parts")]
    public List<GeminiPart>? Parts { get; set; }
}

/// <summary>A <c>Part</c>: exactly one of its data members is set, plus the thought flags.</summary>
internal sealed class GeminiPart
{
    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("thought")]
    public bool? Thought { get; set; }

    [JsonPropertyName("thoughtSignature")]
    public string? ThoughtSignature { get; set; }

    [JsonPropertyName("inlineData")]
    public GeminiBlob? InlineData { get; set; }

    [JsonPropertyName("fileData")]
    public GeminiFileData? FileData { get; set; }

    [JsonPropertyName("functionCall")]
    public GeminiFunctionCall? FunctionCall { get; set; }

    [JsonPropertyName("functionResponse")]
    public GeminiFunctionResponse? FunctionResponse { get; set; }

    [JsonPropertyName("executableCode")]
    public JsonElement? ExecutableCode { get; set; }

    [JsonPropertyName("codeExecutionResult")]
    public JsonElement? CodeExecutionResult { get; set; }
}

/// <summary>Inline bytes (<c>inlineData</c>), base64 in JSON.</summary>
internal sealed class GeminiBlob
{
    [JsonPropertyName("mimeType")]
    public string? MimeType { get; set; }

    [JsonPropertyName("data")]
    public string? Data { get; set; }
}

/// <summary>A file by URI (<c>fileData</c>).</summary>
internal sealed class GeminiFileData
{
    [JsonPropertyName("mimeType")]
    public string? MimeType { get; set; }

    [JsonPropertyName("fileUri")]
    public string? FileUri { get; set; }
}

/// <summary>A <c>functionCall</c>; Vertex may stream its arguments as <c>partialArgs</c> with <c>willContinue</c>.</summary>
internal sealed class GeminiFunctionCall
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("args")]
    public JsonElement? Args { get; set; }

    [JsonPropertyName("partialArgs")]
    public List<GeminiPartialArg>? PartialArgs { get; set; }

    [JsonPropertyName("willContinue")]
    public bool? WillContinue { get; set; }
}

/// <summary>One streamed argument of a Vertex <c>functionCall</c>.</summary>
internal sealed class GeminiPartialArg
{
    [JsonPropertyName("jsonPath")]
    public string? JsonPath { get; set; }

    [JsonPropertyName("stringValue")]
    public string? StringValue { get; set; }

    [JsonPropertyName("numberValue")]
    public double? NumberValue { get; set; }

    [JsonPropertyName("boolValue")]
    public bool? BoolValue { get; set; }
}

/// <summary>A <c>functionResponse</c>: <c>response</c> must be a JSON object.</summary>
internal sealed class GeminiFunctionResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("response")]
    public JsonElement? Response { get; set; }
}

// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Gemini.Internal.Dto;

/// <summary>A <c>Content</c>: a role and its parts (requests and responses).</summary>
internal sealed class GeminiContent
{
    public string? Role { get; set; }

    public List<GeminiPart>? Parts { get; set; }
}

/// <summary>A <c>Part</c>: exactly one of its data members is set, plus the thought flags.</summary>
internal sealed class GeminiPart
{
    public string? Text { get; set; }

    public bool? Thought { get; set; }

    public string? ThoughtSignature { get; set; }

    public GeminiBlob? InlineData { get; set; }

    public GeminiFileData? FileData { get; set; }

    public GeminiFunctionCall? FunctionCall { get; set; }

    public GeminiFunctionResponse? FunctionResponse { get; set; }

    public JsonElement? ExecutableCode { get; set; }

    public JsonElement? CodeExecutionResult { get; set; }
}

/// <summary>Inline bytes (<c>inlineData</c>), base64 in JSON.</summary>
internal sealed class GeminiBlob
{
    public string? MimeType { get; set; }

    public string? Data { get; set; }
}

/// <summary>A file by URI (<c>fileData</c>).</summary>
internal sealed class GeminiFileData
{
    public string? MimeType { get; set; }

    public string? FileUri { get; set; }
}

/// <summary>A <c>functionCall</c>; Vertex may stream its arguments as <c>partialArgs</c> with <c>willContinue</c>.</summary>
internal sealed class GeminiFunctionCall
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Args { get; set; }

    public List<GeminiPartialArg>? PartialArgs { get; set; }

    public bool? WillContinue { get; set; }
}

/// <summary>One streamed argument of a Vertex <c>functionCall</c>.</summary>
internal sealed class GeminiPartialArg
{
    public string? JsonPath { get; set; }

    public string? StringValue { get; set; }

    public double? NumberValue { get; set; }

    public bool? BoolValue { get; set; }
}

/// <summary>A <c>functionResponse</c>: <c>response</c> must be a JSON object.</summary>
internal sealed class GeminiFunctionResponse
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Response { get; set; }
}

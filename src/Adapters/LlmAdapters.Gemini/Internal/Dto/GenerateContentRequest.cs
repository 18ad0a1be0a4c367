// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Gemini.Internal.Dto;

/// <summary>The body of <c>models/{model}:generateContent</c> and <c>:streamGenerateContent</c>.</summary>
internal sealed class GenerateContentRequest
{
    [JsonPropertyName("contents")]
    public List<GeminiContent> Contents { get; set; } = [];

    [JsonPropertyName("systemInstruction")]
    public GeminiContent? SystemInstruction { get; set; }

    [JsonPropertyName("tools")]
    public List<GeminiTool>? Tools { get; set; }

    [JsonPropertyName("toolConfig")]
    public GeminiToolConfig? ToolConfig { get; set; }

    [JsonPropertyName("safetySettings")]
    public JsonElement? SafetySettings { get; set; }

    [JsonPropertyName("service_tier")]
    public string? ServiceTier { get; set; }

    [JsonPropertyName("generationConfig")]
    public GenerationConfig? GenerationConfig { get; set; }
}

/// <summary>A <c>Tool</c>: function declarations, or one of the built-in tools.</summary>
internal sealed class GeminiTool
{
    [JsonPropertyName("functionDeclarations")]
    public List<FunctionDeclaration>? FunctionDeclarations { get; set; }

    [JsonPropertyName("googleSearch")]
    public JsonElement? GoogleSearch { get; set; }

    [JsonPropertyName("codeExecution")]
    public JsonElement? CodeExecution { get; set; }
}

/// <summary>A <c>FunctionDeclaration</c>; <c>parameters</c> in the API's OpenAPI-subset schema.</summary>
internal sealed class FunctionDeclaration
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("parameters")]
    public JsonElement? Parameters { get; set; }
}

/// <summary>The <c>toolConfig</c> member.</summary>
internal sealed class GeminiToolConfig
{
    [JsonPropertyName("functionCallingConfig")]
    public FunctionCallingConfig? FunctionCallingConfig { get; set; }
}

/// <summary>The <c>toolConfig.functionCallingConfig</c> member.</summary>
internal sealed class FunctionCallingConfig
{
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("allowedFunctionNames")]
    public List<string>? AllowedFunctionNames { get; set; }
}

/// <summary>The <c>generationConfig</c> member.</summary>
internal sealed class GenerationConfig
{
    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    [JsonPropertyName("topP")]
    public float? TopP { get; set; }

    [JsonPropertyName("topK")]
    public int? TopK { get; set; }

    [JsonPropertyName("maxOutputTokens")]
    public int? MaxOutputTokens { get; set; }

    [JsonPropertyName("stopSequences")]
    public IList<string>? StopSequences { get; set; }

    [JsonPropertyName("seed")]
    public long? Seed { get; set; }

    [JsonPropertyName("presencePenalty")]
    public float? PresencePenalty { get; set; }

    [JsonPropertyName("frequencyPenalty")]
    public float? FrequencyPenalty { get; set; }

    [JsonPropertyName("responseMimeType")]
    public string? ResponseMimeType { get; set; }

    [JsonPropertyName("responseSchema")]
    public JsonElement? ResponseSchema { get; set; }

    [JsonPropertyName("thinkingConfig")]
    public ThinkingConfig? ThinkingConfig { get; set; }
}

/// <summary>The <c>generationConfig.thinkingConfig</c> member: a budget (Gemini 2.5) or a level (Gemini 3).</summary>
internal sealed class ThinkingConfig
{
    [JsonPropertyName("thinkingBudget")]
    public int? ThinkingBudget { get; set; }

    [JsonPropertyName("thinkingLevel")]
    public string? ThinkingLevel { get; set; }

    [JsonPropertyName("includeThoughts")]
    public bool? IncludeThoughts { get; set; }
}

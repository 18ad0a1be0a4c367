// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Gemini.Internal.Dto;

/// <summary>The body of <c>models/{model}:generateContent</c> and <c>:streamGenerateContent</c>.</summary>
internal sealed class GenerateContentRequest
{
    public List<GeminiContent> Contents { get; set; } = [];

    public GeminiContent? SystemInstruction { get; set; }

    public List<GeminiTool>? Tools { get; set; }

    public GeminiToolConfig? ToolConfig { get; set; }

    public JsonElement? SafetySettings { get; set; }

    [JsonPropertyName("service_tier")]
    public string? ServiceTier { get; set; }

    public GenerationConfig? GenerationConfig { get; set; }
}

/// <summary>A <c>Tool</c>: function declarations, or one of the built-in tools.</summary>
internal sealed class GeminiTool
{
    public List<FunctionDeclaration>? FunctionDeclarations { get; set; }

    public JsonElement? GoogleSearch { get; set; }

    public JsonElement? CodeExecution { get; set; }
}

/// <summary>A <c>FunctionDeclaration</c>; <c>parameters</c> in the API's OpenAPI-subset schema.</summary>
internal sealed class FunctionDeclaration
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }
}

/// <summary>The <c>toolConfig</c> member.</summary>
internal sealed class GeminiToolConfig
{
    public FunctionCallingConfig? FunctionCallingConfig { get; set; }
}

/// <summary>The <c>toolConfig.functionCallingConfig</c> member.</summary>
internal sealed class FunctionCallingConfig
{
    public string? Mode { get; set; }

    public List<string>? AllowedFunctionNames { get; set; }
}

/// <summary>The <c>generationConfig</c> member.</summary>
internal sealed class GenerationConfig
{
    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? TopK { get; set; }

    public int? MaxOutputTokens { get; set; }

    public IList<string>? StopSequences { get; set; }

    public long? Seed { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public string? ResponseMimeType { get; set; }

    public JsonElement? ResponseSchema { get; set; }

    public ThinkingConfig? ThinkingConfig { get; set; }
}

/// <summary>The <c>generationConfig.thinkingConfig</c> member: a budget (Gemini 2.5) or a level (Gemini 3).</summary>
internal sealed class ThinkingConfig
{
    public int? ThinkingBudget { get; set; }

    public string? ThinkingLevel { get; set; }

    public bool? IncludeThoughts { get; set; }
}

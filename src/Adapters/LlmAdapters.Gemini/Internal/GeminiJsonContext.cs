// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Gemini.Internal.Dto;

namespace LlmAdapters.Gemini.Internal;

/// <summary>The source-generated JSON contracts of the Gemini API.</summary>
// The wire's names are camelCase: the policy names every DTO property; [JsonPropertyName] is left only where it differs.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(GenerateContentRequest))]
[JsonSerializable(typeof(GenerateContentResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;

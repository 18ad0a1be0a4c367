// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Ollama.Internal.Dto;

namespace LlmAdapters.Ollama.Internal;

/// <summary>The source-generated JSON contracts of Ollama's chat API.</summary>
// The wire's names are snake_case: the policy names every DTO property; [JsonPropertyName] is left only where it differs.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;

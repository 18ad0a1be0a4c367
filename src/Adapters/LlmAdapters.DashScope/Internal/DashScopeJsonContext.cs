// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.DashScope.Internal.Dto;

namespace LlmAdapters.DashScope.Internal;

/// <summary>The source-generated JSON contracts of DashScope's native generation API.</summary>
// The wire's names are snake_case: the policy names every DTO property; [JsonPropertyName] is left only where it differs.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(GenerationRequest))]
[JsonSerializable(typeof(GenerationResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
internal sealed partial class DashScopeJsonContext : JsonSerializerContext;

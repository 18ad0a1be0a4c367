// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.DashScope.Internal.Dto;

namespace LlmAdapters.DashScope.Internal;

/// <summary>The source-generated JSON contracts of DashScope's native generation API.</summary>
[JsonSourceGenerationOptions(
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

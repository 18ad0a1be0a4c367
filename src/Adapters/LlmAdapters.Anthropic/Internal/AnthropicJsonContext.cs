// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Anthropic.Internal.Dto;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>The source-generated JSON contracts of the Anthropic Messages API.</summary>
// The wire's names are snake_case: the policy names every DTO property; [JsonPropertyName] is left only where it differs.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(ResponseBlock))]
[JsonSerializable(typeof(StreamEvent))]
[JsonSerializable(typeof(List<RequestBlock>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;

// Licensed under the MIT License.

using System.Text.Json.Serialization;
using LlmAdapters.Gateway.Anthropic;
using LlmAdapters.Gateway.OpenAI;

namespace LlmAdapters.Gateway;

/// <summary>The wire DTOs of both front doors, serialized by source generation (no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    MaxDepth = 128)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(OaiErrorBody))]
[JsonSerializable(typeof(OaiModelList))]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(AntMessageResponse))]
[JsonSerializable(typeof(AntEvent))]
[JsonSerializable(typeof(Spend.SpendReport))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;

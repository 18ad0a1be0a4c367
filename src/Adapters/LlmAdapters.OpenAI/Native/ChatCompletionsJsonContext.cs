// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.OpenAI.Native;

/// <summary>The source-generated JSON contracts of the Chat Completions responses (snake_case names).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CompletionDto))]
[JsonSerializable(typeof(ChunkDto))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ChatCompletionsJsonContext : JsonSerializerContext;

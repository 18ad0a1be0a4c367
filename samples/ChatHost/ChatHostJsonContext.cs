// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The JSON shapes of the host, generated at compile time (web defaults: camelCase names).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatReply))]
[JsonSerializable(typeof(ChatDeltaEvent))]
[JsonSerializable(typeof(ChatDoneEvent))]
[JsonSerializable(typeof(ChatErrorEvent))]
[JsonSerializable(typeof(ChatToolCallEvent))]
[JsonSerializable(typeof(ChatToolResultEvent))]
[JsonSerializable(typeof(ClientInfo[]))]
[JsonSerializable(typeof(LedgerInfo))]
internal sealed partial class ChatHostJsonContext : JsonSerializerContext;

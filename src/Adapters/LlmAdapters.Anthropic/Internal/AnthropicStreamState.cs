// Licensed under the MIT License.

using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using LlmAdapters.Anthropic.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>
/// Turns the server-sent events of one streamed message into <see cref="ChatResponseUpdate"/>s: text and thinking as they
/// arrive, each tool call once and complete when its block stops, and one final update with the finish reason and usage.
/// </summary>
internal sealed class AnthropicStreamState : INativeStreamDecoder
{
    private readonly RequestPlan _plan;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<int, BlockState> _blocks = [];
    private string? _id;
    private string? _model;
    private DateTimeOffset _createdAt;
    private AnthropicUsage? _usage;
    private string? _stopReason;
    private string? _stopSequence;
    private JsonElement? _stopDetails;
    private bool _sawFunctionCall;
    private char[] _scratch = [];

    /// <summary>Initializes a new instance of the <see cref="AnthropicStreamState"/> class.</summary>
    /// <param name="plan">What the request declared.</param>
    /// <param name="timeProvider">The clock for <see cref="ChatResponseUpdate.CreatedAt"/>.</param>
    public AnthropicStreamState(RequestPlan plan, TimeProvider timeProvider)
    {
        _plan = plan;
        _timeProvider = timeProvider;
        _createdAt = timeProvider.GetUtcNow();
    }

    /// <summary>Gets a value indicating whether <c>message_stop</c> was seen.</summary>
    public bool Completed { get; private set; }

    /// <inheritdoc/>
    public NativeStreamFormat Format => NativeStreamFormat.ServerSentEvents;

    /// <inheritdoc/>
    public string TerminalEventName => "message_stop";

    /// <inheritdoc/>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data) => Process(eventType, data);

    /// <summary>Handles one event, from the UTF-8 bytes of its data (the <see cref="SseItemParser{T}"/> of the stream).</summary>
    /// <param name="eventType">The SSE event type.</param>
    /// <param name="data">The event's data.</param>
    /// <returns>The update to yield, or <see langword="null"/> when the event yields none.</returns>
    /// <exception cref="ChatProviderException">The event is an <c>error</c> event.</exception>
    /// <exception cref="JsonException">The event data is not valid JSON.</exception>
    /// <remarks>
    /// A <c>content_block_delta</c> event, nearly every event of a stream, is read by <see cref="ContentBlockDelta"/> without
    /// the <see cref="StreamEvent"/> DTO; the other events, and any delta it does not read exactly as the DTO would, go
    /// through the DTO. Data that is not an object is read as a string; data that is not valid UTF-8 never arrives here
    /// (the kit's transport answers it Unknown, issue 20).
    /// </remarks>
    public ChatResponseUpdate? Process(string eventType, ReadOnlySpan<byte> data)
    {
        // Nothing after the finish (the first message_delta with a stop reason) but usage and message_stop (issue 20, N10).
        if (_stopReason is not null && eventType is not ("message_delta" or "message_stop" or "error" or "message"))
        {
            return null;
        }

        var start = data.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return null;
        }

        if (data[start] != (byte)'{' || !Utf8.IsValid(data))
        {
            var text = Encoding.UTF8.GetString(data);
            return string.IsNullOrWhiteSpace(text) ? null : Dispatch(eventType, JsonSerializer.Deserialize(text, AnthropicJsonContext.Default.StreamEvent), data);
        }

        return TryContentBlockDelta(eventType, data, out var update)
            ? update
            : Dispatch(eventType, JsonSerializer.Deserialize(data, AnthropicJsonContext.Default.StreamEvent), data);
    }

    /// <summary>Handles a <c>content_block_delta</c> event read by <see cref="ContentBlockDelta"/>.</summary>
    /// <returns><see langword="false"/> when the event must go through the DTO (nothing was done).</returns>
    private bool TryContentBlockDelta(string eventType, ReadOnlySpan<byte> data, out ChatResponseUpdate? update)
    {
        update = null;
        try
        {
            if (!ContentBlockDelta.TryRead(eventType, data, out var delta))
            {
                return false;
            }

            switch (delta.Kind)
            {
                case ContentBlockDeltaKind.Text when !delta.IsEmpty:
                    update = Update(new TextContent(delta.GetString()));
                    break;
                case ContentBlockDeltaKind.Thinking when !delta.IsEmpty:
                    update = Update(new TextReasoningContent(delta.GetString()));
                    break;
                case ContentBlockDeltaKind.Signature:
                case ContentBlockDeltaKind.InputJson:
                    // Decoded into the stream's buffer, then appended: no string per event.
                    var buffer = Scratch(delta.MaxLength);
                    var chars = buffer[..delta.CopyString(buffer)];
                    if (_blocks.TryGetValue(delta.Index, out var state))
                    {
                        (delta.Kind == ContentBlockDeltaKind.Signature ? state.Signature : state.Json).Append(chars);
                    }

                    break;
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON or a string that does not decode: the DTO throws what it always threw.
            update = null;
            return false;
        }
    }

    /// <summary>Gets the stream's decoding buffer, grown to at least <paramref name="length"/> characters.</summary>
    private Span<char> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new char[Math.Max(length, Math.Max(2 * _scratch.Length, 256))];
        }

        return _scratch;
    }

    private ChatResponseUpdate? Dispatch(string eventType, StreamEvent? data, ReadOnlySpan<byte> utf8)
    {
        if (data is null)
        {
            throw new JsonException("An event has null data.");
        }

        var type = data.Type ?? eventType;
        switch (type)
        {
            case "error":
                throw ChatProviderErrors.FromErrorPayload(AnthropicConstants.ProviderName, Encoding.UTF8.GetString(utf8));

            case "message_start" when data.Message is { } message:
                _id = message.Id;
                _model = message.Model;
                _createdAt = _timeProvider.GetUtcNow();
                _usage = AnthropicMapper.MergeUsage(null, message.Usage);
                return null;

            case "content_block_start" when data.Index is { } index && data.ContentBlock is { ValueKind: JsonValueKind.Object } raw:
                return StartBlock(index, raw.Clone());

            case "content_block_delta" when data.Index is { } index && data.Delta is { } delta:
                return Delta(index, delta);

            case "content_block_stop" when data.Index is { } index:
                return StopBlock(index);

            case "message_delta":
                _stopReason ??= data.Delta?.StopReason; // the first stop reason wins: a second one contradicts it
                _stopSequence = data.Delta?.StopSequence ?? _stopSequence;
                _stopDetails = data.Delta?.StopDetails is { ValueKind: JsonValueKind.Object } details ? details.Clone() : _stopDetails;
                _usage = AnthropicMapper.MergeUsage(_usage, data.Usage);
                return null;

            case "message_stop":
                Completed = true;
                return Final();

            default:
                // ping, and event types added after this adapter was written.
                return null;
        }
    }

    private ChatResponseUpdate? StartBlock(int index, JsonElement raw)
    {
        var block = raw.Deserialize(AnthropicJsonContext.Default.ResponseBlock) ?? new ResponseBlock();
        var state = new BlockState(block, raw);
        _blocks[index] = state;
        switch (block.Type)
        {
            case "text" when !string.IsNullOrEmpty(block.Text):
                return Update(new TextContent(block.Text));
            case "thinking":
                state.Signature.Append(block.Signature);
                return string.IsNullOrEmpty(block.Thinking) ? null : Update(new TextReasoningContent(block.Thinking));
            default:
                return null;
        }
    }

    private ChatResponseUpdate? Delta(int index, StreamDelta delta)
    {
        _blocks.TryGetValue(index, out var state);
        switch (delta.Type)
        {
            case "text_delta" when !string.IsNullOrEmpty(delta.Text):
                return Update(new TextContent(delta.Text));
            case "thinking_delta" when !string.IsNullOrEmpty(delta.Thinking):
                return Update(new TextReasoningContent(delta.Thinking));
            case "signature_delta":
                state?.Signature.Append(delta.Signature);
                return null;
            case "input_json_delta":
                state?.Json.Append(delta.PartialJson);
                return null;
            case "citations_delta" when delta.Citation is { } citation:
                return Update(new TextContent(string.Empty) { Annotations = [AnthropicMapper.ToAnnotation(citation)] });
            default:
                return null;
        }
    }

    private ChatResponseUpdate? StopBlock(int index)
    {
        if (!_blocks.Remove(index, out var state))
        {
            return null;
        }

        var block = state.Block;
        switch (block.Type)
        {
            case "thinking":
                // The signature arrives after the text: it is sent as an empty reasoning content, which ToChatResponse joins to the text.
                return state.Signature.Length == 0 ? null :
                    Update(new TextReasoningContent(string.Empty) { ProtectedData = state.Signature.ToString() });

            case "redacted_thinking":
                return Update(AnthropicMapper.CreateRedactedThinking(block.Data, state.Raw));

            case "tool_use" when _plan.ResponseToolName is not null && block.Name == _plan.ResponseToolName:
                return Update(new TextContent(AnthropicMapper.ResponseToolAnswer(ParseInput(state), _plan)) { RawRepresentation = CompleteRaw(state) });

            case "tool_use":
                _sawFunctionCall = true;
                var json = state.Json.ToString();
                var call = string.IsNullOrWhiteSpace(json)
                    ? NativeJson.WithArgumentsCheck(new FunctionCallContent(block.Id ?? string.Empty, block.Name ?? string.Empty, AnthropicMapper.ParseArguments(block.Input)), block.Input)
                    : FunctionCallContent.CreateFromParsedArguments(json, block.Id ?? string.Empty, block.Name ?? string.Empty, NativeJson.ParseArguments);
                call.RawRepresentation = CompleteRaw(state);
                return Update(call);

            case "text":
                return null;

            default:
                // Server tool use, its results, and unknown blocks: kept raw (with their streamed input) to go back to the API.
                return Update(new AIContent { RawRepresentation = CompleteRaw(state) });
        }
    }

    private ChatResponseUpdate Final()
    {
        var update = Update(null);
        update.FinishReason = AnthropicMapper.ToFinishReason(_stopReason, _plan, _sawFunctionCall);
        if (AnthropicMapper.ToUsage(_usage) is { } usage)
        {
            update.Contents.Add(new UsageContent(usage));
        }

        var properties = new AdditionalPropertiesDictionary();
        AnthropicMapper.AddStopDetails(properties, _stopSequence, _stopDetails);
        AnthropicMapper.AddServiceTier(properties, _usage);
        if (properties.Count > 0)
        {
            update.AdditionalProperties = properties;
        }

        return update;
    }

    private ChatResponseUpdate Update(AIContent? content) => new(ChatRole.Assistant, content is null ? [] : [content])
    {
        ResponseId = _id,
        MessageId = _id,
        ModelId = _model,
        CreatedAt = _createdAt,
    };

    private static JsonElement? ParseInput(BlockState state)
    {
        var json = state.Json.ToString();
        if (string.IsNullOrWhiteSpace(json))
        {
            return state.Block.Input;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static JsonElement CompleteRaw(BlockState state)
    {
        var json = state.Json.ToString();
        if (string.IsNullOrWhiteSpace(json))
        {
            return state.Raw;
        }

        // The start event carries "input": {}; the streamed input replaces it (when it parses: a broken call keeps the start block).
        try
        {
            var node = JsonNode.Parse(state.Raw.GetRawText())!.AsObject();
            node["input"] = JsonNode.Parse(json);
            return JsonSerializer.SerializeToElement(node, AnthropicJsonContext.Default.JsonNode);
        }
        catch (JsonException)
        {
            return state.Raw;
        }
    }

    private sealed class BlockState(ResponseBlock block, JsonElement raw)
    {
        public ResponseBlock Block { get; } = block;

        public JsonElement Raw { get; } = raw;

        public StringBuilder Json { get; } = new();

        public StringBuilder Signature { get; } = new();
    }
}

// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.DashScope.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Internal;

/// <summary>
/// Turns the server-sent events of one streamed generation (<c>incremental_output</c>) into <see cref="ChatResponseUpdate"/>s:
/// reasoning and text as they arrive, tool calls assembled from their fragments and yielded complete at the end, and a final
/// update with the finish reason and the last (cumulative) usage. An error event (<c>{code, message, request_id}</c>) throws.
/// </summary>
/// <remarks>
/// The hot event (one choice whose message carries only text or reasoning, no finish reason) is read from its bytes by
/// <see cref="DashScopeTextEvent"/>, without the DTO graph; its update carries no <see cref="ChatResponseUpdate.RawRepresentation"/>.
/// Its usage counts wait as numbers until the event that needs them (the finish) is read by the DTO.
/// </remarks>
internal sealed class DashScopeStreamDecoder(RequestPlan plan, TimeProvider timeProvider, bool fastPath = true) : INativeStreamDecoder
{
    private DashScopeTextEvent.UsageCounts? _pendingUsage;
    private readonly StreamingToolCallBuilder _calls = new();
    private readonly HashSet<string> _seenIds = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _createdAt = timeProvider.GetUtcNow();
    private GenerationUsage? _usage;
    private string? _requestId;
    private int _lastIndex;

    /// <inheritdoc/>
    public NativeStreamFormat Format => NativeStreamFormat.ServerSentEvents;

    /// <inheritdoc/>
    public string TerminalEventName => "a finish_reason";

    /// <inheritdoc/>
    public bool Completed { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ChatProviderException">The event is an error.</exception>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (NativeSse.IsBlank(data))
        {
            return null;
        }

        // The hot event, once one has set the request id: read from the bytes (DashScopeTextEvent leaves every other to the DTO).
        if (fastPath && _requestId is not null && eventType != "error" &&
            DashScopeTextEvent.TryRead(data, _requestId, out var fastText, out var reasoning, out var counts))
        {
            _pendingUsage = counts ?? _pendingUsage;
            var hasReasoning = !string.IsNullOrEmpty(reasoning);
            var hasText = !string.IsNullOrEmpty(fastText);
            if (!hasReasoning && !hasText)
            {
                return null;
            }

            IList<AIContent> fastContents = hasReasoning && hasText ? [new TextReasoningContent(reasoning), new TextContent(fastText)]
                : hasReasoning ? [new TextReasoningContent(reasoning)]
                : [new TextContent(fastText)];
            return new ChatResponseUpdate(ChatRole.Assistant, fastContents)
            {
                ResponseId = _requestId,
                MessageId = _requestId,
                ModelId = plan.Model,
                CreatedAt = _createdAt,
            };
        }

        var item = JsonSerializer.Deserialize(data, DashScopeJsonContext.Default.GenerationResponse)
            ?? throw new JsonException("An event of the stream is JSON null.");
        if (eventType == "error" || (item.Output is null && !string.IsNullOrEmpty(item.Code)))
        {
            throw ChatProviderErrors.FromErrorPayload(DashScopeConstants.ProviderName, System.Text.Encoding.UTF8.GetString(data));
        }

        if (item.GetShapeError() is { } shapeError)
        {
            throw NativeErrors.InvalidShape(DashScopeConstants.ProviderName, shapeError, System.Net.HttpStatusCode.OK);
        }

        if (_pendingUsage is { } pending)
        {
            _usage = pending.ToDto();
            _pendingUsage = null;
        }

        _requestId = item.RequestId ?? _requestId;
        _usage = item.Usage ?? _usage;
        var contents = new List<AIContent>();
        var choice = item.Output!.Choices is { Count: > 0 } choices ? choices[0] : null;
        var message = choice?.Message;
        if (!string.IsNullOrEmpty(message?.ReasoningContent))
        {
            contents.Add(new TextReasoningContent(message.ReasoningContent));
        }

        if (DashScopeMapper.ContentText(message?.Content) is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }
        else if (choice is null && !string.IsNullOrEmpty(item.Output.Text))
        {
            contents.Add(new TextContent(item.Output.Text));
        }

        foreach (var call in message?.ToolCalls ?? [])
        {
            // Fragments: the first carries id and name, the next "id":"" and a piece of the arguments. No index means the last call.
            var index = call.Index ?? (string.IsNullOrEmpty(call.Id) ? _lastIndex : NextIndex(call.Id));
            _lastIndex = index;
            _calls.Append(index, string.IsNullOrEmpty(call.Id) ? null : call.Id, string.IsNullOrEmpty(call.Function?.Name) ? null : call.Function.Name, call.Function?.Arguments);
        }

        var finish = choice?.FinishReason ?? item.Output.FinishReason;
        var finished = finish is not (null or "" or "null");
        if (!finished && contents.Count == 0)
        {
            return null;
        }

        var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = _requestId,
            MessageId = _requestId,
            ModelId = plan.Model,
            CreatedAt = _createdAt,
            RawRepresentation = item,
        };

        if (finished)
        {
            Completed = true;
            var calls = _calls.CompleteAll(static () => "call_" + Guid.NewGuid().ToString("N")[..24]);
            foreach (var call in calls)
            {
                update.Contents.Add(call);
            }

            update.FinishReason = DashScopeMapper.FinishReason(finish, calls.Count > 0);
            if (DashScopeMapper.Usage(_usage) is { } usage)
            {
                update.Contents.Add(new UsageContent(usage));
            }
        }

        return update;
    }

    /// <summary>A new id starts a new call, unless it repeats the id of a call seen before.</summary>
    private int NextIndex(string id) => _seenIds.Contains(id) ? _lastIndex : AddId(id);

    private int AddId(string id)
    {
        _seenIds.Add(id);
        return _seenIds.Count - 1;
    }
}

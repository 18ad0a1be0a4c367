// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Native;

/// <summary>
/// Decodes one streamed Chat Completions response: text and reasoning as they arrive, tool calls assembled and yielded once,
/// complete, with the finish reason; usage (the last chunk's, with <c>include_usage</c>) as one <see cref="UsageContent"/>;
/// an <c>error</c> chunk after the 200 (vLLM, OpenRouter, LiteLLM) thrown as a <see cref="ChatProviderException"/>; <c>[DONE]</c> ends it.
/// </summary>
internal sealed class ChatCompletionsStreamDecoder(string providerName, TimeProvider timeProvider) : INativeStreamDecoder
{
    private readonly StreamingToolCallBuilder _toolCalls = new();
    private string? _responseId;
    private string? _modelId;
    private DateTimeOffset? _createdAt;
    private ChatFinishReason? _finishReason;
    private bool _sawFinish;

    public NativeStreamFormat Format => NativeStreamFormat.ServerSentEvents;

    public string TerminalEventName => "[DONE]";

    public bool Completed { get; private set; }

    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (NativeSse.IsDoneSentinel(data))
        {
            if (!_sawFinish)
            {
                throw NativeErrors.Incomplete(providerName, "a finish reason", System.Net.HttpStatusCode.OK);
            }

            Completed = true;
            return _toolCalls.HasPending ? NewUpdate(finishReason: _finishReason, calls: true) : null;
        }

        if (NativeSse.IsBlank(data))
        {
            return null;
        }

        // The hot chunk, text only, once the first chunk has set the response's id and model: read from the bytes, without
        // the DTO graph or the id and model strings (ChatCompletionsTextChunk leaves every other chunk to the DTO).
        if (_createdAt is not null && _responseId is not null && _modelId is not null && ChatCompletionsTextChunk.TryRead(data, out var text))
        {
            return text is null ? null : new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(text)])
            {
                ResponseId = _responseId,
                MessageId = _responseId,
                ModelId = _modelId,
                CreatedAt = _createdAt,
            };
        }

        var chunk = JsonSerializer.Deserialize(data, ChatCompletionsJsonContext.Default.ChunkDto)
            ?? throw new JsonException("A chunk is null.");
        if (chunk.Error is { ValueKind: JsonValueKind.Object or JsonValueKind.String } error)
        {
            throw ChatProviderErrors.FromErrorPayload(providerName, "{\"error\":" + error.GetRawText() + "}");
        }

        if (chunk.Choices is null && chunk.Usage is null)
        {
            throw new JsonException("A chunk has neither choices nor usage.");
        }

        _responseId ??= chunk.Id;
        _modelId ??= chunk.Model;
        _createdAt ??= chunk.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : timeProvider.GetUtcNow();

        var update = NewUpdate(finishReason: null, calls: false);
        foreach (var choice in chunk.Choices ?? [])
        {
            if (choice?.Delta is { } delta)
            {
                ChatCompletionsMapper.AddReasoning(update.Contents, delta);
                if (delta.Content is not null)
                {
                    update.Contents.Add(new TextContent(delta.Content));
                }

                if (!string.IsNullOrEmpty(delta.Refusal))
                {
                    update.Contents.Add(new ErrorContent(delta.Refusal) { ErrorCode = "Refusal" });
                }

                foreach (var call in delta.ToolCalls ?? [])
                {
                    _toolCalls.Append(call.Index ?? 0, call.Id, call.Function?.Name, call.Function?.Arguments);
                }
            }

            if (choice?.FinishReason is { } reason)
            {
                _sawFinish = true;
                _finishReason = ChatCompletionsMapper.ToFinishReason(reason);
                if (_toolCalls.HasPending)
                {
                    // The complete calls travel with the finish reason, as Microsoft.Extensions.AI.OpenAI yields them.
                    foreach (var call in _toolCalls.CompleteAll())
                    {
                        update.Contents.Add(call);
                    }
                }

                update.FinishReason = _finishReason;
            }
        }

        if (ChatCompletionsMapper.ToUsage(chunk.Usage) is { } usage)
        {
            update.Contents.Add(new UsageContent(usage));

            // The tier the usage was billed at travels with it (every chunk names it; the usage chunk is the one priced).
            update.AdditionalProperties = ChatCompletionsMapper.ToAdditionalProperties(chunk.ServiceTier) ?? update.AdditionalProperties;
        }

        return update.Contents.Count == 0 && update.FinishReason is null ? null : update;
    }

    private ChatResponseUpdate NewUpdate(ChatFinishReason? finishReason, bool calls)
    {
        var update = new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = _responseId,
            MessageId = _responseId,
            ModelId = _modelId,
            CreatedAt = _createdAt,
            FinishReason = finishReason,
        };
        if (calls)
        {
            foreach (var call in _toolCalls.CompleteAll())
            {
                update.Contents.Add(call);
            }
        }

        return update;
    }
}

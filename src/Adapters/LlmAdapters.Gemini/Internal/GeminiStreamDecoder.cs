// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.Gemini.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Internal;

/// <summary>
/// Turns the <c>data:</c>-only server-sent events of <c>streamGenerateContent?alt=sse</c> into updates: each chunk's parts as
/// they arrive, each function call complete, and, on the chunk with the finish reason, that reason and one
/// <see cref="UsageContent"/> from the last chunk's usage (Gemini's usage is cumulative: never summed).
/// </summary>
/// <remarks>
/// The hot chunk (one candidate, one text part, no finish reason, the same id and model as the chunk before) is read from its
/// bytes by <see cref="GeminiTextChunk"/>, without the DTO graph; its update carries no <see cref="ChatResponseUpdate.RawRepresentation"/>.
/// Its usage counts wait as numbers until a chunk that needs them (the finish) is read by the DTO.
/// </remarks>
internal sealed class GeminiStreamDecoder(TimeProvider timeProvider, bool fastPath = true) : INativeStreamDecoder
{
    /// <summary>Gets the service tier the request was sent with: it travels with the usage, to be priced (docs/cost.md).</summary>
    public string? ServiceTier { get; init; }

    private readonly DateTimeOffset _createdAt = timeProvider.GetUtcNow();
    private UsageDetails? _usage;
    private GeminiTextChunk.UsageCounts? _pendingUsage;
    private string? _responseId;
    private string? _modelVersion;
    private bool _sawFunctionCall;
    private PendingCall? _pending;

    /// <inheritdoc/>
    public NativeStreamFormat Format => NativeStreamFormat.ServerSentEvents;

    /// <inheritdoc/>
    public string TerminalEventName => "a finishReason";

    /// <inheritdoc/>
    public bool Completed { get; private set; }

    /// <inheritdoc/>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (NativeSse.IsBlank(data))
        {
            return null;
        }

        // The hot chunk, text only, once a chunk has set the response's id and model: read from the bytes (GeminiTextChunk leaves
        // every other chunk to the DTO).
        if (fastPath && _responseId is not null && _modelVersion is not null &&
            GeminiTextChunk.TryRead(data, _responseId, _modelVersion, out var text, out var counts))
        {
            if (counts is { Counts: true })
            {
                _pendingUsage = counts; // merged by the "last" rule: only the latest counting report matters
            }

            return string.IsNullOrEmpty(text) ? null : new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(text)])
            {
                ResponseId = _responseId,
                MessageId = _responseId,
                ModelId = _modelVersion,
                CreatedAt = _createdAt,
            };
        }

        var chunk = JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GenerateContentResponse) ?? throw new JsonException("A chunk is JSON null.");
        if (chunk.Error is { ValueKind: JsonValueKind.Object } error)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var status) ? status : (int?)null;
            throw ChatProviderErrors.FromErrorPayload(GeminiConstants.ProviderName, Encoding.UTF8.GetString(data), code);
        }

        if (chunk.Candidates is null && chunk.PromptFeedback is null && chunk.UsageMetadata is null)
        {
            throw NativeErrors.InvalidShape(GeminiConstants.ProviderName, "a streamed chunk has neither \"candidates\", \"promptFeedback\" nor \"usageMetadata\".");
        }

        GeminiMapper.ThrowIfBlocked(chunk);
        if (_pendingUsage is { } pending)
        {
            _usage = NativeUsage.Merge(_usage, GeminiMapper.ToUsage(pending.ToDto()), UsageMergeRule.Last);
            _pendingUsage = null;
        }

        _usage = NativeUsage.Merge(_usage, GeminiMapper.ToUsage(chunk.UsageMetadata), UsageMergeRule.Last);
        _responseId = chunk.ResponseId;
        _modelVersion = chunk.ModelVersion;

        var candidate = chunk.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
        var contents = new List<AIContent>();
        foreach (var part in candidate?.Content?.Parts ?? [])
        {
            if (part.FunctionCall is { } call && (_pending is not null || call.WillContinue == true || call.PartialArgs is not null))
            {
                Continue(call, part, contents);
                continue;
            }

            GeminiMapper.AddContents(contents, part);
        }

        _sawFunctionCall |= contents.Exists(static c => c is FunctionCallContent);
        var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = chunk.ResponseId,
            MessageId = chunk.ResponseId,
            ModelId = chunk.ModelVersion,
            CreatedAt = _createdAt,
            RawRepresentation = chunk,
        };

        if (candidate?.FinishReason is { } finishReason)
        {
            Completed = true;
            if (_pending is not null)
            {
                contents.Add(_pending.Complete());
                _pending = null;
                _sawFunctionCall = true;
            }

            update.FinishReason = GeminiMapper.ToFinishReason(finishReason, _sawFunctionCall);
            update.AdditionalProperties = GeminiMapper.ToAdditionalProperties(candidate);
            if (_usage is not null)
            {
                contents.Add(new UsageContent(_usage));
                if (ServiceTier is { Length: > 0 } tier)
                {
                    (update.AdditionalProperties ??= [])[GeminiChatClient.ServiceTierPropertyName] = tier;
                }
            }
        }

        return contents.Count == 0 && update.FinishReason is null ? null : update;
    }

    /// <summary>Vertex streams a call's arguments: a start with <c>willContinue</c>, <c>partialArgs</c>, then an empty call that ends it.</summary>
    private void Continue(GeminiFunctionCall call, GeminiPart part, List<AIContent> contents)
    {
        if (call.Name is not null && _pending is not null)
        {
            contents.Add(_pending.Complete());
            _pending = null;
        }

        if (call.Name is not null)
        {
            _pending = new PendingCall(call.Id, call.Name, part.ThoughtSignature, call.Args);
        }

        if (_pending is null)
        {
            return;
        }

        foreach (var arg in call.PartialArgs ?? [])
        {
            _pending.Set(arg);
        }

        if (call.WillContinue != true && call.Name is null)
        {
            contents.Add(_pending.Complete());
            _pending = null;
        }
    }

    private sealed class PendingCall(string? id, string name, string? signature, JsonElement? args)
    {
        private readonly JsonObject _arguments = args is { ValueKind: JsonValueKind.Object } a ? JsonNode.Parse(a.GetRawText())!.AsObject() : [];

        public void Set(GeminiPartialArg arg)
        {
            if (arg.JsonPath is not { } path || !path.StartsWith("$.", StringComparison.Ordinal))
            {
                return;
            }

            var names = path[2..].Split('.');
            var target = _arguments;
            for (var i = 0; i < names.Length - 1; i++)
            {
                if (target[names[i]] is not JsonObject child)
                {
                    child = [];
                    target[names[i]] = child;
                }

                target = child;
            }

            JsonNode? value = arg.StringValue is { } s ? JsonValue.Create(s) : arg.NumberValue is { } n ? JsonValue.Create(n) : arg.BoolValue is { } b ? JsonValue.Create(b) : null;
            var last = names[^1];
            if (arg.StringValue is not null && target[last] is JsonValue existing && existing.TryGetValue<string>(out var prefix))
            {
                // A long string arrives in pieces.
                value = JsonValue.Create(prefix + arg.StringValue);
            }

            target[last] = value;
        }

        public FunctionCallContent Complete()
        {
            var element = JsonSerializer.SerializeToElement(_arguments, GeminiJsonContext.Default.JsonNode);
            return GeminiMapper.ToFunctionCall(id, name, NativeJson.ParseArguments(element), signature, null);
        }
    }
}

// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using LlmAdapters.Native;
using LlmAdapters.Ollama.Internal.Dto;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Internal;

/// <summary>The response half of the mapping.</summary>
internal static partial class OllamaMapper
{
    /// <summary>Maps a non-streamed answer.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="now">The time, when the server sent no <c>created_at</c>.</param>
    /// <returns>The response.</returns>
    /// <exception cref="ChatProviderException">The body is an <c>{"error": …}</c> object.</exception>
    public static ChatResponse ToChatResponse(OllamaChatResponse response, DateTimeOffset now)
    {
        ThrowIfError(response, HttpStatusCode.OK);
        var contents = Contents(response.Message, out var hasToolCalls);
        var message = new ChatMessage(ChatRole.Assistant, contents) { RawRepresentation = response.Message };
        return new ChatResponse(message)
        {
            ModelId = response.Model,
            CreatedAt = response.CreatedAt ?? now,
            // "done" with neither a message nor a done_reason is no answer: no finish reason, so that the kit's rule
            // (a 200 without a result is Unknown) sees it, instead of an empty success (issue 20, N6).
            FinishReason = response.Message is null && response.DoneReason is null ? null : FinishReason(response.DoneReason, response.Done == true, hasToolCalls),
            Usage = Usage(response),
            AdditionalProperties = Metrics(response),
            RawRepresentation = response,
        };
    }

    /// <summary>Maps the contents of a message: thinking, text, then complete tool calls.</summary>
    /// <param name="message">The message, if any.</param>
    /// <param name="hasToolCalls">Whether the message carries tool calls.</param>
    /// <returns>The contents.</returns>
    public static List<AIContent> Contents(OllamaMessage? message, out bool hasToolCalls)
    {
        var contents = new List<AIContent>();
        hasToolCalls = false;
        if (message is null)
        {
            return contents;
        }

        if (!string.IsNullOrEmpty(message.Thinking))
        {
            contents.Add(new TextReasoningContent(message.Thinking));
        }

        if (!string.IsNullOrEmpty(message.Content))
        {
            contents.Add(new TextContent(message.Content));
        }

        foreach (var call in message.ToolCalls ?? [])
        {
            hasToolCalls = true;

            // The server's id when it sends one (newer servers); a made-up id, distinct per call, otherwise.
            var id = string.IsNullOrEmpty(call.Id) ? OllamaConstants.NewCallId() : call.Id;
            var name = call.Function?.Name ?? string.Empty;

            // Arguments are an object; a server that sends a string gets it parsed; missing or null give an empty set.
            // Any other JSON type is the call's Exception (NativeJson.ArgumentsError), never "no arguments".
            var content = call.Function?.Arguments is { ValueKind: JsonValueKind.String } text
                ? string.IsNullOrWhiteSpace(text.GetString())
                    ? new FunctionCallContent(id, name, new Dictionary<string, object?>(StringComparer.Ordinal))
                    : FunctionCallContent.CreateFromParsedArguments(text.GetString()!, id, name, NativeJson.ParseArguments)
                : NativeJson.WithArgumentsCheck(new FunctionCallContent(id, name, NativeJson.ParseArguments(call.Function?.Arguments)), call.Function?.Arguments);
            content.RawRepresentation = call;
            contents.Add(content);
        }

        return contents;
    }

    /// <summary>Maps <c>done_reason</c>: a message with tool calls finishes with <see cref="ChatFinishReason.ToolCalls"/>, whatever the server says.</summary>
    /// <param name="doneReason">The server's <c>done_reason</c>.</param>
    /// <param name="done">Whether the answer is done.</param>
    /// <param name="hasToolCalls">Whether the answer carries tool calls.</param>
    /// <returns>The finish reason, or <see langword="null"/> when not done.</returns>
    public static ChatFinishReason? FinishReason(string? doneReason, bool done, bool hasToolCalls)
    {
        if (!done && doneReason is null)
        {
            return null;
        }

        if (hasToolCalls)
        {
            return ChatFinishReason.ToolCalls;
        }

        return doneReason switch
        {
            null or "" or "stop" => ChatFinishReason.Stop,
            "length" => ChatFinishReason.Length,
            _ => new ChatFinishReason(doneReason),
        };
    }

    /// <summary>Maps the counts: <c>prompt_eval_count</c> in, <c>eval_count</c> out (thinking included).</summary>
    /// <param name="response">The final answer or line.</param>
    /// <returns>The usage, or <see langword="null"/> when the server sent no count.</returns>
    public static UsageDetails? Usage(OllamaChatResponse response) =>
        response.PromptEvalCount is null && response.EvalCount is null ? null : new UsageDetails
        {
            InputTokenCount = response.PromptEvalCount,
            OutputTokenCount = response.EvalCount,
            TotalTokenCount = (response.PromptEvalCount ?? 0) + (response.EvalCount ?? 0),
        };

    /// <summary>Maps the durations (nanoseconds on the wire) to <see cref="TimeSpan"/>s, and the raw <c>done_reason</c>.</summary>
    /// <param name="response">The final answer or line.</param>
    /// <returns>The properties, or <see langword="null"/> when there are none.</returns>
    public static AdditionalPropertiesDictionary? Metrics(OllamaChatResponse response)
    {
        AdditionalPropertiesDictionary? properties = null;
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                (properties ??= [])[key] = value;
            }
        }

        Add(OllamaConstants.TotalDuration, Duration(response.TotalDuration));
        Add(OllamaConstants.LoadDuration, Duration(response.LoadDuration));
        Add(OllamaConstants.PromptEvalDuration, Duration(response.PromptEvalDuration));
        Add(OllamaConstants.EvalDuration, Duration(response.EvalDuration));
        Add(OllamaConstants.DoneReason, response.DoneReason);
        return properties;
    }

    /// <summary>Throws the taxonomy exception for an <c>{"error": …}</c> body or line.</summary>
    /// <param name="response">The body or line.</param>
    /// <param name="status">The HTTP status it came with (200 for a line of a stream).</param>
    /// <exception cref="ChatProviderException">The body is an error.</exception>
    public static void ThrowIfError(OllamaChatResponse response, HttpStatusCode status)
    {
        if (response.Error is not { } error)
        {
            return;
        }

        var json = JsonSerializer.Serialize(new Dictionary<string, JsonElement> { ["error"] = error }, OllamaJsonContext.Default.DictionaryStringJsonElement);
        var thrown = ChatProviderErrors.FromErrorPayload(OllamaConstants.ProviderName, json);
        if (thrown.Kind == ChatProviderErrorKind.Unknown)
        {
            // An error line after a 200 is the model runner failing mid-answer (out of memory, a crashed runner): the server's fault.
            thrown = new ChatProviderException(ChatProviderErrorKind.Unavailable, thrown.ProviderName, thrown.ProviderMessage, status)
            {
                RawBody = thrown.RawBody,
            };
        }

        throw thrown;
    }

    private static TimeSpan? Duration(long? nanoseconds) => nanoseconds is { } ns ? TimeSpan.FromTicks(ns / 100) : null;
}

// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using LlmAdapters.DashScope.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Internal;

/// <summary>The response half of the mapping.</summary>
internal static partial class DashScopeMapper
{
    /// <summary>Maps a non-streamed answer.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="plan">What the request asked for.</param>
    /// <param name="now">The time of the answer.</param>
    /// <returns>The response.</returns>
    public static ChatResponse ToChatResponse(GenerationResponse response, RequestPlan plan, DateTimeOffset now)
    {
        var contents = new List<AIContent>();
        var choice = response.Output?.Choices is { Count: > 0 } choices ? choices[0] : null;
        string? finish;
        if (choice is not null)
        {
            finish = choice.FinishReason;
            var message = choice.Message;
            if (!string.IsNullOrEmpty(message?.ReasoningContent))
            {
                contents.Add(new TextReasoningContent(message.ReasoningContent));
            }

            if (ContentText(message?.Content) is { Length: > 0 } text)
            {
                contents.Add(new TextContent(text));
            }

            foreach (var call in message?.ToolCalls ?? [])
            {
                contents.Add(ToFunctionCall(call.Id, call.Function?.Name, call.Function?.Arguments));
            }
        }
        else
        {
            // result_format "text" (the legacy default of some models): output.text.
            finish = response.Output?.FinishReason;
            if (!string.IsNullOrEmpty(response.Output?.Text))
            {
                contents.Add(new TextContent(response.Output.Text));
            }
        }

        var hasCalls = contents.OfType<FunctionCallContent>().Any();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = response.RequestId })
        {
            ResponseId = response.RequestId,
            ModelId = plan.Model,
            CreatedAt = now,
            FinishReason = FinishReason(finish, hasCalls),
            Usage = Usage(response.Usage),
            RawRepresentation = response,
        };
    }

    /// <summary>Reads a message's content: a string, or the text parts of a multimodal list.</summary>
    /// <param name="content">The content.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public static string? ContentText(JsonElement? content)
    {
        switch (content)
        {
            case { ValueKind: JsonValueKind.String } s:
                return s.GetString();
            case { ValueKind: JsonValueKind.Array } parts:
                var builder = new StringBuilder();
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        builder.Append(text.GetString());
                    }
                }

                return builder.ToString();
            default:
                return null;
        }
    }

    /// <summary>Maps a finish reason: <c>"null"</c> (the string, while streaming) and null are no finish.</summary>
    /// <param name="finishReason">The provider's value.</param>
    /// <param name="hasToolCalls">Whether the answer carries tool calls.</param>
    /// <returns>The finish reason, or <see langword="null"/>.</returns>
    public static ChatFinishReason? FinishReason(string? finishReason, bool hasToolCalls) => finishReason switch
    {
        null or "" or "null" => null,
        _ when hasToolCalls => ChatFinishReason.ToolCalls,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(finishReason),
    };

    /// <summary>Maps the counts, with cached input and reasoning tokens.</summary>
    /// <param name="usage">The counts.</param>
    /// <returns>The usage, or <see langword="null"/>.</returns>
    public static UsageDetails? Usage(GenerationUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokens,
        OutputTokenCount = usage.OutputTokens,
        TotalTokenCount = usage.TotalTokens ?? (usage.InputTokens ?? 0) + (usage.OutputTokens ?? 0),
        CachedInputTokenCount = usage.PromptTokensDetails?.CachedTokens,
        ReasoningTokenCount = usage.OutputTokensDetails?.ReasoningTokens,
    };

    /// <summary>Builds a complete call from its id, name and arguments text (missing or blank arguments are an empty set).</summary>
    /// <param name="id">The call id.</param>
    /// <param name="name">The function name.</param>
    /// <param name="arguments">The arguments JSON text.</param>
    /// <returns>The call.</returns>
    public static FunctionCallContent ToFunctionCall(string? id, string? name, string? arguments)
    {
        var callId = string.IsNullOrEmpty(id) ? "call_" + Guid.NewGuid().ToString("N")[..24] : id;
        return string.IsNullOrWhiteSpace(arguments)
            ? new FunctionCallContent(callId, name ?? string.Empty, new Dictionary<string, object?>(StringComparer.Ordinal))
            : FunctionCallContent.CreateFromParsedArguments(arguments, callId, name ?? string.Empty, NativeJson.ParseArguments);
    }
}

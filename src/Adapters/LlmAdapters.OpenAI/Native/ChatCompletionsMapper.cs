// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Native;

/// <summary>Maps Chat Completions responses onto Microsoft.Extensions.AI the way Microsoft.Extensions.AI.OpenAI does.</summary>
internal static class ChatCompletionsMapper
{
    public static ChatResponse ToChatResponse(CompletionDto completion, DateTimeOffset now)
    {
        var choice = completion.Choices![0];
        var source = choice.Message!;
        var message = new ChatMessage(ChatRole.Assistant, (IList<AIContent>)[]) { MessageId = completion.Id };
        AddReasoning(message.Contents, source);
        if (source.Content is not null)
        {
            // An empty content ("" beside tool calls, DashScope) is kept as empty text, as Microsoft.Extensions.AI.OpenAI keeps it.
            message.Contents.Add(new TextContent(source.Content));
        }

        if (!string.IsNullOrEmpty(source.Refusal))
        {
            message.Contents.Add(new ErrorContent(source.Refusal) { ErrorCode = "Refusal" });
        }

        foreach (var call in source.ToolCalls ?? [])
        {
            if (call.Function is { } function)
            {
                message.Contents.Add(ToFunctionCall(call.Id ?? string.Empty, function.Name ?? string.Empty, function.Arguments));
            }
        }

        return new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : now,
            FinishReason = ToFinishReason(choice.FinishReason),
            Usage = ToUsage(completion.Usage),
            RawRepresentation = completion,
            AdditionalProperties = ToAdditionalProperties(completion.ServiceTier),
        };
    }

    public static void AddReasoning(IList<AIContent> contents, MessageDto source)
    {
        // reasoning_content (DashScope, DeepSeek, older vLLM) or reasoning (vLLM >= 0.11); a server sending both is read once.
        var reasoning = !string.IsNullOrEmpty(source.ReasoningContent) ? source.ReasoningContent : source.Reasoning;
        if (!string.IsNullOrEmpty(reasoning))
        {
            contents.Add(new TextReasoningContent(reasoning));
        }
    }

    public static FunctionCallContent ToFunctionCall(string callId, string name, string? arguments) =>
        string.IsNullOrWhiteSpace(arguments)
            ? new FunctionCallContent(callId, name, new Dictionary<string, object?>(StringComparer.Ordinal))
            : FunctionCallContent.CreateFromParsedArguments(arguments, callId, name, LlmAdapters.Native.NativeJson.ParseArguments);

    public static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key of the <c>service_tier</c> the response reports (it drives the price: docs/cost.md).</summary>
    public const string ServiceTierKey = "service_tier";

    /// <summary>The response's <c>service_tier</c> as additional properties, or <see langword="null"/> when it reports none.</summary>
    public static AdditionalPropertiesDictionary? ToAdditionalProperties(string? serviceTier) =>
        string.IsNullOrEmpty(serviceTier) ? null : new() { [ServiceTierKey] = serviceTier };

    public static UsageDetails? ToUsage(UsageDto? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.PromptTokensDetails?.CachedTokens,
        ReasoningTokenCount = usage.CompletionTokensDetails?.ReasoningTokens,
    };
}

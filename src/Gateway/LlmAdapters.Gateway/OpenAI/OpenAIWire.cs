// Licensed under the MIT License.

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gateway.OpenAI;

/// <summary>OpenAI's error body, finish reasons and usage.</summary>
internal static class OpenAIWire
{
    public static OaiErrorBody ErrorBody(GatewayError error) =>
        new() { Error = new OaiError { Message = error.Message, Type = error.OpenAIType, Code = error.Code } };

    public static Task WriteErrorAsync(HttpContext context, GatewayError error) =>
        GatewayCall.WriteErrorAsync(context, error, ErrorBody(error), GatewayJsonContext.Default.OaiErrorBody);

    public static string FinishReason(ChatFinishReason? reason, bool hasToolCalls)
    {
        if (hasToolCalls)
        {
            return "tool_calls";
        }

        if (reason == ChatFinishReason.Length)
        {
            return "length";
        }

        return reason == ChatFinishReason.ContentFilter ? "content_filter" : reason == ChatFinishReason.ToolCalls ? "tool_calls" : "stop";
    }

    public static OaiUsage? Usage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        return new OaiUsage
        {
            PromptTokens = input,
            CompletionTokens = output,
            TotalTokens = usage.TotalTokenCount ?? input + output,
            PromptTokensDetails = usage.CachedInputTokenCount is { } cached ? new OaiPromptTokensDetails { CachedTokens = cached } : null,
            CompletionTokensDetails = usage.ReasoningTokenCount is { } reasoning ? new OaiCompletionTokensDetails { ReasoningTokens = reasoning } : null,
        };
    }
}

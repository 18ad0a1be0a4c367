// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;

namespace LlmAdapters.OpenAI.Native;

/// <summary>A non-streamed <c>chat.completion</c>.</summary>
internal sealed class CompletionDto : INativeResponse
{
    public string? Id { get; set; }

    public long? Created { get; set; }

    public string? Model { get; set; }

    public List<ChoiceDto>? Choices { get; set; }

    public UsageDto? Usage { get; set; }

    public string? ServiceTier { get; set; }

    public string? GetShapeError()
    {
        if (Choices is not { Count: > 0 })
        {
            return "no choices";
        }

        foreach (var choice in Choices)
        {
            if (choice?.Message is null)
            {
                return "a choice without a message";
            }
        }

        return null;
    }
}

/// <summary>A streamed <c>chat.completion.chunk</c>, or an error chunk.</summary>
internal sealed class ChunkDto
{
    public string? Id { get; set; }

    public long? Created { get; set; }

    public string? Model { get; set; }

    public List<ChoiceDto>? Choices { get; set; }

    public UsageDto? Usage { get; set; }

    public string? ServiceTier { get; set; }

    public JsonElement? Error { get; set; }
}

/// <summary>A choice: <c>message</c> when not streamed, <c>delta</c> when streamed.</summary>
internal sealed class ChoiceDto
{
    public int Index { get; set; }

    public MessageDto? Message { get; set; }

    public MessageDto? Delta { get; set; }

    public string? FinishReason { get; set; }
}

/// <summary>An assistant message or delta, with the reasoning fields compatible servers add.</summary>
internal sealed class MessageDto
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? Refusal { get; set; }

    public string? ReasoningContent { get; set; }

    public string? Reasoning { get; set; }

    public List<ToolCallDto>? ToolCalls { get; set; }
}

/// <summary>A tool call, or a fragment of one when streamed.</summary>
internal sealed class ToolCallDto
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public FunctionDto? Function { get; set; }
}

/// <summary>A function call's name and arguments JSON text.</summary>
internal sealed class FunctionDto
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}

/// <summary>Token usage.</summary>
internal sealed class UsageDto
{
    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public long? TotalTokens { get; set; }

    public PromptDetailsDto? PromptTokensDetails { get; set; }

    public CompletionDetailsDto? CompletionTokensDetails { get; set; }
}

/// <summary>Prompt token details.</summary>
internal sealed class PromptDetailsDto
{
    public long? CachedTokens { get; set; }
}

/// <summary>Completion token details.</summary>
internal sealed class CompletionDetailsDto
{
    public long? ReasoningTokens { get; set; }
}

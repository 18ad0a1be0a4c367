// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters;

/// <summary>
/// A tokenizer-free estimate: one token per four characters of text (rounded up), plus four tokens of framing per
/// message and the JSON size of each tool declaration. It errs on the high side for English and code, which is the
/// safe side for rate limits and budget reservations.
/// </summary>
public sealed class ApproximateTokenEstimator : ITokenEstimator
{
    /// <summary>The characters counted as one token.</summary>
    public const int CharactersPerToken = 4;

    /// <summary>The tokens added for each message's role and framing.</summary>
    public const int TokensPerMessage = 4;

    /// <summary>Gets the shared instance.</summary>
    public static ApproximateTokenEstimator Instance { get; } = new();

    /// <inheritdoc/>
    public int EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        long characters = options?.Instructions?.Length ?? 0;
        long tokens = 0;
        foreach (var message in messages)
        {
            tokens += TokensPerMessage;
            foreach (var content in message.Contents)
            {
                characters += content switch
                {
                    TextContent text => text.Text?.Length ?? 0,
                    TextReasoningContent reasoning => reasoning.Text?.Length ?? 0,
                    FunctionCallContent call => call.Name.Length + EstimateArguments(call.Arguments),
                    FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
                    _ => 0,
                };
            }
        }

        if (options?.Tools is { } tools)
        {
            foreach (var tool in tools)
            {
                characters += tool.Name.Length + (tool.Description?.Length ?? 0);
                if (tool is AIFunctionDeclaration function)
                {
                    characters += function.JsonSchema.GetRawText().Length;
                }
            }
        }

        tokens += (characters + CharactersPerToken - 1) / CharactersPerToken;
        return (int)Math.Min(tokens, int.MaxValue);
    }

    private static int EstimateArguments(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 0;
        }

        var length = 0;
        foreach (var (key, value) in arguments)
        {
            length += key.Length + (value?.ToString()?.Length ?? 4) + 4;
        }

        return length;
    }
}

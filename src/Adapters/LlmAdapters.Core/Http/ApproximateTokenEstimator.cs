// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters;

/// <summary>
/// A tokenizer-free estimate: one token per four characters of text (rounded up), one per character of CJK text (Han,
/// kana, Hangul, full-width forms, which tokenizers split about one character per token), plus four tokens of framing
/// per message and the JSON size of each tool declaration. Measured against what providers billed on the recorded
/// exchanges (docs/cost.md, "Token estimation"), it is usually low: providers add their own framing and system prompts
/// (Claude's for tools), which no estimate of the request can see.
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
        long tokens = 0;
        long characters = Text(options?.Instructions, ref tokens);
        foreach (var message in messages)
        {
            tokens += TokensPerMessage;
            foreach (var content in message.Contents)
            {
                characters += content switch
                {
                    TextContent text => Text(text.Text, ref tokens),
                    TextReasoningContent reasoning => Text(reasoning.Text, ref tokens),
                    FunctionCallContent call => call.Name.Length + EstimateArguments(call.Arguments),
                    FunctionResultContent result => Text(result.Result?.ToString(), ref tokens),
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

    /// <summary>Gives the characters of a text counted at four per token, and adds one token per CJK character to <paramref name="wide"/>.</summary>
    private static long Text(string? text, ref long wide)
    {
        if (text is null)
        {
            return 0;
        }

        var span = text.AsSpan();
        if (span.IndexOfAnyInRange('\u2E80', '\uFFEF') < 0)
        {
            return span.Length; // no CJK: the usual case, one vectorized scan
        }

        long narrow = 0;
        foreach (var c in span)
        {
            if (c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF'))
            {
                wide++;
            }
            else
            {
                narrow++;
            }
        }

        return narrow;
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

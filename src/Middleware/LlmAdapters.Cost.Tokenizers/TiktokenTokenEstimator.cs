// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace LlmAdapters.Cost;

/// <summary>
/// Counts input tokens with OpenAI's tokenizers for OpenAI-family models (<c>o200k_base</c> for gpt-4o, gpt-4.1,
/// gpt-4.5, gpt-5 and the o-series; <c>cl100k_base</c> for gpt-4 and gpt-3.5), adding the chat framing of OpenAI's
/// cookbook (3 tokens per message, 3 to prime the reply). Other models (Claude, Gemini, Qwen, local models) use the
/// fallback estimator: by default <see cref="ApproximateTokenEstimator"/>, one token per four characters (docs/cost.md).
/// </summary>
/// <remarks>Thread-safe. The tokenizers are loaded once per process, on first use.</remarks>
public sealed class TiktokenTokenEstimator : ITokenEstimator
{
    /// <summary>The tokens of framing counted for each message.</summary>
    internal const int TokensPerMessage = 3;

    /// <summary>The tokens counted for priming the assistant's reply.</summary>
    internal const int TokensPerReply = 3;

    private static readonly Lazy<Tokenizer> s_o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<Tokenizer> s_cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    private readonly string? _defaultModelId;
    private readonly ITokenEstimator _fallback;
    private CountedText? _lastInstructions;

    /// <summary>Initializes a new instance of the <see cref="TiktokenTokenEstimator"/> class.</summary>
    /// <param name="defaultModelId">The model assumed when a request names none, or <see langword="null"/>.</param>
    /// <param name="fallback">The estimator of models that are not OpenAI's, or <see langword="null"/> for <see cref="ApproximateTokenEstimator"/>.</param>
    public TiktokenTokenEstimator(string? defaultModelId = null, ITokenEstimator? fallback = null)
    {
        _defaultModelId = defaultModelId;
        _fallback = fallback ?? ApproximateTokenEstimator.Instance;
    }

    /// <summary>Gets the shared instance, with no default model.</summary>
    public static TiktokenTokenEstimator Default { get; } = new();

    /// <summary>Gets the name of the encoding used for a model, or <see langword="null"/> when the model is not OpenAI's.</summary>
    /// <param name="modelId">The model id.</param>
    /// <returns><c>o200k_base</c>, <c>cl100k_base</c> or <see langword="null"/>.</returns>
    internal static string? GetEncodingName(string? modelId)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return null;
        }

        var id = modelId.Trim();
        var slash = id.LastIndexOf('/');
        if (slash >= 0)
        {
            id = id[(slash + 1)..];
        }

        if (id.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            id = id[3..];
        }

        if (StartsWith(id, "gpt-4o") || StartsWith(id, "chatgpt-4o") || StartsWith(id, "gpt-4.1") || StartsWith(id, "gpt-4.5") ||
            StartsWith(id, "gpt-5") || StartsWith(id, "gpt-oss") || StartsWith(id, "o1") || StartsWith(id, "o3") || StartsWith(id, "o4") ||
            StartsWith(id, "codex"))
        {
            return "o200k_base";
        }

        return StartsWith(id, "gpt-4") || StartsWith(id, "gpt-3.5") || StartsWith(id, "gpt-35") ? "cl100k_base" : null;

        static bool StartsWith(string id, string prefix) => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public int EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tokenizer = GetEncodingName(options?.ModelId ?? _defaultModelId) switch
        {
            "o200k_base" => s_o200k.Value,
            "cl100k_base" => s_cl100k.Value,
            _ => null,
        };
        if (tokenizer is null)
        {
            return _fallback.EstimateInputTokens(messages, options);
        }

        long tokens = TokensPerReply;
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            tokens += TokensPerMessage + 1 + CountInstructions(tokenizer, instructions);
        }

        // By index where the messages are a list: a foreach over an IEnumerable or an IList boxes its enumerator.
        if (messages is IList<ChatMessage> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                tokens += CountMessage(tokenizer, list[i]);
            }
        }
        else
        {
            foreach (var message in messages)
            {
                tokens += CountMessage(tokenizer, message);
            }
        }

        if (options?.Tools is { } tools)
        {
            foreach (var tool in tools)
            {
                tokens += Count(tokenizer, tool.Name) + Count(tokenizer, tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    tokens += Count(tokenizer, function.JsonSchema.GetRawText());
                }
            }
        }

        return (int)Math.Min(tokens, int.MaxValue);
    }

    private static int Count(Tokenizer tokenizer, string? text) => string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);

    private static long CountMessage(Tokenizer tokenizer, ChatMessage message)
    {
        long tokens = TokensPerMessage + 1;
        if (message.AuthorName is { Length: > 0 } name)
        {
            tokens += 1 + tokenizer.CountTokens(name);
        }

        var contents = message.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            tokens += contents[i] switch
            {
                TextContent text => Count(tokenizer, text.Text),
                TextReasoningContent reasoning => Count(tokenizer, reasoning.Text),
                FunctionCallContent call => Count(tokenizer, call.Name) + Count(tokenizer, call.Arguments is null ? null : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)))),
                FunctionResultContent result => Count(tokenizer, result.Result?.ToString()),
                _ => 0,
            };
        }

        return tokens;
    }

    // The system prompt is usually the same string instance on every call (the configured default): its count is kept
    // for that instance and tokenizer, so that each call does not tokenize it again. Strings are immutable, so a
    // reference match is exact; any other string is counted.
    private int CountInstructions(Tokenizer tokenizer, string instructions)
    {
        if (Volatile.Read(ref _lastInstructions) is { } last && ReferenceEquals(last.Text, instructions) && ReferenceEquals(last.Tokenizer, tokenizer))
        {
            return last.Count;
        }

        var count = tokenizer.CountTokens(instructions);
        Volatile.Write(ref _lastInstructions, new CountedText(tokenizer, instructions, count));
        return count;
    }

    private sealed record CountedText(Tokenizer Tokenizer, string Text, int Count);
}

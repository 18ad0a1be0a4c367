// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

/// <summary>
/// Maps the usage of recorded provider exchanges to <see cref="UsageDetails"/> as each fixture's .md says a correct
/// adapter must (the adapters live in other projects; these mappings are the oracle they are tested against).
/// </summary>
internal static class FixtureUsage
{
    /// <summary>OpenAI / DashScope compatible-mode <c>usage</c>: prompt_tokens include cached_tokens, completion_tokens include reasoning_tokens.</summary>
    public static (string Model, UsageDetails Usage) OpenAI(string path)
    {
        using var doc = JsonDocument.Parse(Fixture.Text(path));
        return (doc.RootElement.GetProperty("model").GetString()!, FromOpenAIUsage(doc.RootElement.GetProperty("usage")));
    }

    public static UsageDetails FromOpenAIUsage(JsonElement usage) => new()
    {
        InputTokenCount = usage.GetProperty("prompt_tokens").GetInt64(),
        OutputTokenCount = usage.GetProperty("completion_tokens").GetInt64(),
        TotalTokenCount = usage.GetProperty("total_tokens").GetInt64(),
        CachedInputTokenCount = usage.TryGetProperty("prompt_tokens_details", out var p) && p.TryGetProperty("cached_tokens", out var c) ? c.GetInt64() : null,
        ReasoningTokenCount = usage.TryGetProperty("completion_tokens_details", out var d) && d.TryGetProperty("reasoning_tokens", out var r) ? r.GetInt64() : null,
    };

    /// <summary>Anthropic <c>usage</c>: InputTokenCount = input_tokens + cache_creation + cache_read; cache creation in AdditionalCounts.</summary>
    public static (string Model, UsageDetails Usage) Anthropic(string path)
    {
        using var doc = JsonDocument.Parse(Fixture.Text(path));
        var u = doc.RootElement.GetProperty("usage");
        var creation = u.GetProperty("cache_creation_input_tokens").GetInt64();
        var read = u.GetProperty("cache_read_input_tokens").GetInt64();
        var input = u.GetProperty("input_tokens").GetInt64() + creation + read;
        var output = u.GetProperty("output_tokens").GetInt64();
        return (doc.RootElement.GetProperty("model").GetString()!, new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            CachedInputTokenCount = read,
            AdditionalCounts = new() { [ModelPrice.CacheWriteTokensKey] = creation },
        });
    }

    /// <summary>Gemini's last <c>usageMetadata</c>, in either documented shape: thoughts apart from candidates, or folded into output.</summary>
    public static (string Model, UsageDetails Usage) Gemini(string path, bool foldReasoningIntoOutput)
    {
        JsonElement last = default;
        string? model = null;
        foreach (var line in Fixture.Text(path).Split('\n'))
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(line[6..]);
                if (doc.RootElement.TryGetProperty("usageMetadata", out var u))
                {
                    last = u.Clone();
                    model = doc.RootElement.GetProperty("modelVersion").GetString();
                }
            }
        }

        var candidates = last.GetProperty("candidatesTokenCount").GetInt64();
        var thoughts = last.GetProperty("thoughtsTokenCount").GetInt64();
        return (model!, new UsageDetails
        {
            InputTokenCount = last.GetProperty("promptTokenCount").GetInt64(),
            OutputTokenCount = foldReasoningIntoOutput ? candidates + thoughts : candidates,
            ReasoningTokenCount = thoughts,
            TotalTokenCount = last.GetProperty("totalTokenCount").GetInt64(),
        });
    }

    /// <summary>Streams an OpenAI SSE recording as updates: text deltas, then a <see cref="UsageContent"/> for the usage chunk.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> OpenAIStream(string path)
    {
        await Task.Yield();
        foreach (var line in Fixture.Text(path).Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line[6..]);
            var root = doc.RootElement;
            var update = new ChatResponseUpdate { ModelId = root.GetProperty("model").GetString(), ResponseId = root.GetProperty("id").GetString(), Role = ChatRole.Assistant };
            foreach (var choice in root.GetProperty("choices").EnumerateArray())
            {
                if (choice.GetProperty("delta").TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    update.Contents.Add(new TextContent(text.GetString()));
                }
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                update.Contents.Add(new UsageContent(FromOpenAIUsage(usage)));
            }

            yield return update;
        }
    }
}

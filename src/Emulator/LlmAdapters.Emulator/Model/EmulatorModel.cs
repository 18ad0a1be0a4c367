// Licensed under the MIT License.

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmAdapters.Emulator;

/// <summary>
/// The emulator's deterministic "model": the same conversation always gets the same reply. It calls an offered tool
/// when the last user message names it (arguments come from <c>key=value</c> pairs in the prompt), answers a tool
/// result by quoting it, reasons when asked to, and counts tokens honestly (a word or a punctuation mark is a token).
/// </summary>
internal static partial class EmulatorModel
{
    private static readonly string[] s_vocabulary =
    [
        "the", "emulator", "answers", "every", "prompt", "with", "a", "reply", "that", "depends", "only", "on", "its", "words",
        "so", "tests", "can", "rely", "it", "streams", "small", "chunks", "and", "counts", "tokens", "honestly", "for",
        "offline", "work", "adapters", "middleware", "clients", "quietly", "today", "still", "clear", "useful", "simple",
    ];

    public static EmulatorTurn Respond(EmulatorConversation conversation, EmulatorReply? script)
    {
        var inputTokens = CountInputTokens(conversation);
        var prompt = LastUserText(conversation);
        var id = "emu-" + StableHash(conversation.Model + "\n" + string.Join("\n", conversation.Messages.Select(m => m.Role + ":" + m.Text))).ToString("x16", CultureInfo.InvariantCulture);
        const long created = 1_763_000_000;

        if (script is not null)
        {
            var scriptedCalls = script.ToolCalls.Select((c, i) => (CallId(id, i), c)).ToList();
            var scriptedText = script.Text ?? string.Empty;
            return new EmulatorTurn
            {
                Id = id,
                Model = script.Model ?? conversation.Model,
                ServiceTier = script.ServiceTier,
                UsageJson = script.UsageJson,
                Text = scriptedText,
                TextChunks = Chunk(scriptedText),
                Reasoning = script.Reasoning,
                ReasoningChunks = script.Reasoning is null ? [] : Chunk(script.Reasoning),
                ReasoningSignature = script.Reasoning is null ? null : Signature(script.Reasoning),
                ToolCalls = scriptedCalls,
                FinishReason = script.FinishReason ?? (scriptedCalls.Count > 0 ? "tool_calls" : "stop"),
                InputTokens = script.InputTokens ?? inputTokens,
                OutputTokens = script.OutputTokens ?? CountTokens(scriptedText) + CountTokens(script.Reasoning) + scriptedCalls.Sum(c => CountTokens(c.Item2.ArgumentsJson) + 1),
                ReasoningTokens = CountTokens(script.Reasoning),
                Created = created,
            };
        }

        string? reasoning = conversation.Thinking ? $"The user asked: \"{Shorten(prompt, 80)}\". A short, direct answer fits." : null;
        var last = conversation.Messages.Count > 0 ? conversation.Messages[^1] : null;
        List<(string, EmulatorToolCall)> calls = [];
        string text;
        if (last is { ToolResults.Count: > 0 })
        {
            text = "The tool returned: " + string.Join("; ", last.ToolResults.Select(r => r.Result)) + ".";
        }
        else if (!conversation.ToolsDisabled && FindRequestedTool(conversation, prompt) is { } tool)
        {
            calls.Add((CallId(id, 0), new EmulatorToolCall(tool.Name, BuildArguments(tool, prompt))));
            text = string.Empty;
        }
        else if (conversation.Json)
        {
            text = new JsonObject { ["answer"] = GenerateSentence(prompt) }.ToJsonString();
        }
        else
        {
            text = GenerateSentence(prompt);
        }

        var finish = calls.Count > 0 ? "tool_calls" : "stop";
        var chunks = Chunk(text);
        if (conversation.MaxTokens is { } max && max > 0 && CountTokens(text) > max)
        {
            var kept = new List<string>();
            var used = 0;
            foreach (var chunk in chunks)
            {
                used += CountTokens(chunk);
                if (used > max)
                {
                    break;
                }

                kept.Add(chunk);
            }

            chunks = kept;
            text = string.Concat(chunks);
            finish = "length";
        }

        var reasoningTokens = CountTokens(reasoning);
        return new EmulatorTurn
        {
            Id = id,
            Model = conversation.Model,
            Text = text,
            TextChunks = chunks,
            Reasoning = reasoning,
            ReasoningChunks = reasoning is null ? [] : Chunk(reasoning),
            ReasoningSignature = reasoning is null ? null : Signature(reasoning),
            ToolCalls = calls,
            FinishReason = finish,
            InputTokens = inputTokens,
            OutputTokens = CountTokens(text) + reasoningTokens + calls.Sum(c => CountTokens(c.Item2.ArgumentsJson) + 1),
            ReasoningTokens = reasoningTokens,
            Created = created,
        };
    }

    /// <summary>Counts tokens the emulator's way: every word and every punctuation mark is one.</summary>
    public static int CountTokens(string? text) => string.IsNullOrEmpty(text) ? 0 : TokenPattern().Count(text);

    public static string Signature(string reasoning) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("emu-sig:" + StableHash(reasoning).ToString("x16", CultureInfo.InvariantCulture)));

    public static bool IsValidSignature(string reasoning, string? signature) => signature == Signature(reasoning);

    private static int CountInputTokens(EmulatorConversation conversation)
    {
        var total = CountTokens(conversation.System) + (conversation.System is null ? 0 : 3);
        foreach (var message in conversation.Messages)
        {
            total += 3 + CountTokens(message.Text) + message.ToolCalls.Sum(c => CountTokens(c.ArgumentsJson) + 1) + message.ToolResults.Sum(r => CountTokens(r.Result));
        }

        return total + conversation.Tools.Sum(t => 8 + CountTokens(t.Name) + CountTokens(t.ParametersJson));
    }

    private static string LastUserText(EmulatorConversation conversation)
    {
        for (var i = conversation.Messages.Count - 1; i >= 0; i--)
        {
            if (conversation.Messages[i].Role == "user")
            {
                return conversation.Messages[i].Text;
            }
        }

        return string.Empty;
    }

    private static EmulatorTool? FindRequestedTool(EmulatorConversation conversation, string prompt)
    {
        if (conversation.Messages.Count == 0 || conversation.Messages[^1].Role != "user")
        {
            return null;
        }

        return conversation.Tools.FirstOrDefault(t => prompt.Contains(t.Name, StringComparison.OrdinalIgnoreCase));
    }

    private static string BuildArguments(EmulatorTool tool, string prompt)
    {
        var arguments = new JsonObject();
        JsonObject? properties = null;
        if (tool.ParametersJson is not null)
        {
            properties = JsonNode.Parse(tool.ParametersJson)?["properties"] as JsonObject;
        }

        foreach (Match match in PairPattern().Matches(prompt))
        {
            var key = match.Groups[1].Value;
            var value = match.Groups[2].Value.Trim('"', '\'');
            if (properties is not null && !properties.ContainsKey(key))
            {
                continue;
            }

            var type = properties?[key]?["type"]?.GetValue<string>();
            arguments[key] = type is "integer" or "number" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? (type == "integer" ? JsonValue.Create((long)number) : JsonValue.Create(number))
                : type == "boolean" && bool.TryParse(value, out var flag) ? JsonValue.Create(flag) : JsonValue.Create(value);
        }

        return arguments.ToJsonString();
    }

    private static string GenerateSentence(string prompt)
    {
        var hash = StableHash(prompt);
        var words = 12 + (int)(hash % 12);
        var builder = new StringBuilder("You said \"").Append(Shorten(prompt, 60)).Append("\".");
        for (var i = 0; i < words; i++)
        {
            hash = (hash * 6364136223846793005UL) + 1442695040888963407UL;
            builder.Append(' ').Append(s_vocabulary[(int)(hash >> 33) % s_vocabulary.Length]);
        }

        return builder.Append('.').ToString();
    }

    /// <summary>Splits text into stream chunks: each word with the space before it, so the chunks concatenate to the text.</summary>
    private static List<string> Chunk(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ' ' && text[i - 1] != ' '))
            {
                chunks.Add(text[start..i]);
                start = i;
            }
        }

        return chunks;
    }

    private static string Shorten(string text, int max)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
    }

    private static string CallId(string id, int index) => "call_" + id[4..12] + index.ToString(CultureInfo.InvariantCulture);

    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"\b([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|'[^']*'|[^\s,;]+)")]
    private static partial Regex PairPattern();
}

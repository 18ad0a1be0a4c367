// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;
using LlmAdapters.Batch;
using LlmAdapters.Cost;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.Chat.Batch;

/// <summary>
/// Reads the batch input: one JSON object per line, <c>{"id":"a","prompt":"…"}</c> or
/// <c>{"id":"b","messages":[{"role":"user","content":"…"}],"options":{"temperature":0.2}}</c>. A line that cannot be used
/// becomes an error naming its line number, and the others are still read.
/// </summary>
internal static class BatchInput
{
    /// <summary>The keys an input line's <c>options</c> object may hold.</summary>
    public static readonly string[] OptionKeys = ["model", "temperature", "top_p", "max_output_tokens", "max_tokens", "stop", "seed", "tenant"];

    private static readonly string[] s_lineKeys = ["id", "prompt", "messages", "options"];

    public static async Task<(List<ChatBatchItem> Items, List<string> Errors)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var items = new List<ChatBatchItem>();
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        using var reader = new StreamReader(path);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var item = Parse(line, number);
                if (!ids.Add(item.Id!))
                {
                    throw new FormatException($"the id '{item.Id}' was already used by an earlier line.");
                }

                items.Add(item);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {number}: {Describe(ex)}"));
            }
        }

        return (items, errors);
    }

    private static string Describe(Exception ex) => ex is JsonException ? "not valid JSON (" + ex.Message + ")" : ex.Message;

    private static ChatBatchItem Parse(string line, int number)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("expected a JSON object with 'prompt' or 'messages'.");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (Array.IndexOf(s_lineKeys, property.Name) < 0)
            {
                throw new FormatException($"unknown key '{property.Name}' (expected: {string.Join(", ", s_lineKeys)}).");
            }
        }

        var id = root.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind switch
            {
                JsonValueKind.String when idElement.GetString() is { Length: > 0 } text => text,
                JsonValueKind.Number => idElement.GetRawText(),
                _ => throw new FormatException("'id' must be a non-empty string or a number."),
            }
            : string.Create(CultureInfo.InvariantCulture, $"line-{number}");

        var hasPrompt = root.TryGetProperty("prompt", out var prompt);
        var hasMessages = root.TryGetProperty("messages", out var messages);
        if (hasPrompt == hasMessages)
        {
            throw new FormatException("exactly one of 'prompt' and 'messages' is needed.");
        }

        var options = root.TryGetProperty("options", out var optionsElement) ? ParseOptions(optionsElement) : null;
        if (hasPrompt)
        {
            return prompt.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(prompt.GetString())
                ? new ChatBatchItem(prompt.GetString()!, options, id)
                : throw new FormatException("'prompt' must be a non-empty string.");
        }

        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new FormatException("'messages' must be a non-empty array.");
        }

        var list = new List<ChatMessage>();
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var content = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (content is null)
            {
                throw new FormatException("each message needs a string 'role' and a string 'content'.");
            }

            list.Add(new ChatMessage(role switch
            {
                "system" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                _ => throw new FormatException($"unknown role '{role}' (expected system, user or assistant)."),
            }, content));
        }

        return new ChatBatchItem(list, options, id);
    }

    private static ChatOptions ParseOptions(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("'options' must be an object.");
        }

        var options = new ChatOptions();
        foreach (var property in element.EnumerateObject())
        {
            try
            {
                SetOption(options, property.Name, property.Value);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException && !ex.Message.StartsWith("unknown option", StringComparison.Ordinal))
            {
                throw new FormatException($"option '{property.Name}' has the wrong type of value ({property.Value.ValueKind}).", ex);
            }
        }

        return options;
    }

    private static void SetOption(ChatOptions options, string name, JsonElement value)
    {
        {
            switch (name)
            {
                case "model":
                    options.ModelId = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException("not a string");
                    break;
                case "temperature":
                    options.Temperature = value.GetSingle();
                    break;
                case "top_p":
                    options.TopP = value.GetSingle();
                    break;
                case "max_output_tokens" or "max_tokens":
                    options.MaxOutputTokens = value.GetInt32();
                    break;
                case "stop":
                    options.StopSequences = [.. value.EnumerateArray().Select(s => s.GetString() ?? "")];
                    break;
                case "seed":
                    options.Seed = value.GetInt64();
                    break;
                case "tenant":
                    options.WithTenant(value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException("not a string"));
                    break;
                default:
                    throw new FormatException($"unknown option '{name}' (known: {string.Join(", ", OptionKeys)}).");
            }
        }
    }
}

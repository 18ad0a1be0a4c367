// Licensed under the MIT License.

using System.Text;

namespace LlmAdapters.Benchmarks;

/// <summary>The recorded fixtures (embedded), and larger synthetic streams built from their own events.</summary>
internal static class Payloads
{
    private static readonly string[] s_words = [" the", " adapter", " streams", " small", " chunks", " of", " text", " quickly"];

    /// <summary>Reads an embedded fixture, e.g. <c>openai/stream-text-usage.sse</c>.</summary>
    public static byte[] Load(string path)
    {
        using var stream = typeof(Payloads).Assembly.GetManifestResourceStream("Fixtures/" + path)
            ?? throw new InvalidOperationException($"The fixture {path} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Gets the text of the <paramref name="index"/>th synthetic chunk.</summary>
    public static string Word(int index) => s_words[index % s_words.Length];

    /// <summary>Gets the text a synthetic stream of <paramref name="count"/> chunks carries.</summary>
    public static string SyntheticText(int count) => string.Concat(Enumerable.Range(0, count).Select(Word));

    /// <summary>
    /// Builds an OpenAI stream in the recorded shape: the role chunk, <paramref name="count"/> content chunks (the
    /// recorded <c>"Hello"</c> chunk with another word), then the recorded finish, usage and <c>[DONE]</c> events.
    /// </summary>
    public static byte[] OpenAISyntheticStream(int count)
    {
        var events = Events("openai/stream-text-usage.sse");
        return Build([events[0], .. Repeat(events[1], "\"content\":\"Hello\"", i => $"\"content\":\"{Word(i)}\"", count), .. events[^3..]]);
    }

    /// <summary>
    /// Builds an Anthropic stream in the recorded shape: message_start, content_block_start, ping,
    /// <paramref name="count"/> text_delta events (the recorded <c>"Hello"</c> delta with another word), then the recorded
    /// content_block_stop, message_delta and message_stop events.
    /// </summary>
    public static byte[] AnthropicSyntheticStream(int count)
    {
        var events = Events("anthropic/stream-text-basic.sse");
        return Build([.. events[..3], .. Repeat(events[3], "\"text\":\"Hello\"", i => $"\"text\":\"{Word(i)}\"", count), .. events[6..]]);
    }

    private static string[] Events(string path) =>
        Encoding.UTF8.GetString(Load(path)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> Repeat(string template, string oldValue, Func<int, string> newValue, int count)
    {
        if (!template.Contains(oldValue, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The template event does not contain {oldValue}.");
        }

        return Enumerable.Range(0, count).Select(i => template.Replace(oldValue, newValue(i), StringComparison.Ordinal));
    }

    private static byte[] Build(IEnumerable<string> events) => Encoding.UTF8.GetBytes(string.Concat(events.Select(e => e + "\n\n")));
}

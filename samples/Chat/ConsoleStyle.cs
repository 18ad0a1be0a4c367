// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// ANSI colours for one console stream, on only when the stream is a terminal, <c>NO_COLOR</c> is not set
/// (https://no-color.org) and <c>--no-color</c> was not given.
/// </summary>
internal sealed class ConsoleStyle(bool enabled)
{
    public bool Enabled => enabled;

    public static ConsoleStyle ForOutput(bool noColor) => new(!noColor && !Console.IsOutputRedirected && !NoColorSet());

    public static ConsoleStyle ForError(bool noColor) => new(!noColor && !Console.IsErrorRedirected && !NoColorSet());

    /// <summary>Figures and other secondary text.</summary>
    public string Dim(string text) => Wrap("2", text);

    /// <summary>Reasoning: dim and italic.</summary>
    public string Reasoning(string text) => Wrap("2;3", text);

    /// <summary>Failures.</summary>
    public string Error(string text) => Wrap("31", text);

    /// <summary>The prompt marker.</summary>
    public string Prompt(string text) => Wrap("1;36", text);

    private static bool NoColorSet() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    private string Wrap(string code, string text) => enabled && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;
}

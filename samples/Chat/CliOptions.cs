// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat;

/// <summary>The parsed command line of the chat CLI (see <see cref="ChatCommand"/> for the options and their help).</summary>
internal sealed class CliOptions
{
    public string Client { get; init; } = "default";

    public string? Prompt { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public bool Json { get; init; }

    public bool Raw { get; init; }

    public bool NoStream { get; init; }

    public bool Reasoning { get; init; }

    public bool NoColor { get; init; }

    public bool Check { get; init; }

    /// <summary>Gets the JSONL file of a batch run, or <see langword="null"/> for a chat.</summary>
    public string? Batch { get; init; }

    /// <summary>Gets the JSONL file a batch run appends its results to.</summary>
    public string? Out { get; init; }

    /// <summary>Gets how many batch requests run at once.</summary>
    public int Concurrency { get; init; } = 4;
}

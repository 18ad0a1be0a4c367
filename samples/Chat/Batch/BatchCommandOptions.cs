// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat.Batch;

/// <summary>The options of <see cref="BatchCommand.RunAsync"/>: <c>--batch in.jsonl --out out.jsonl</c>.</summary>
internal sealed class BatchCommandOptions
{
    /// <summary>Gets the input: one JSON object per line (<c>prompt</c> or <c>messages</c>, optional <c>id</c> and <c>options</c>).</summary>
    public required string InputPath { get; init; }

    /// <summary>Gets the output: one JSON object per finished item, appended; its succeeded items are skipped when the batch is run again.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Gets the largest number of items in flight (default 4).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Gets a value indicating whether the first failed item stops the batch (default: go on).</summary>
    public bool StopOnError { get; init; }

    /// <summary>Gets a value indicating whether stderr is a terminal: a live progress bar redrawn in place, else plain lines.</summary>
    public bool LiveProgress { get; init; }

    /// <summary>Gets the clock of the progress display (tests may pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

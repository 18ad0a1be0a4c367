// Licensed under the MIT License.

using System.Globalization;
using System.Text;
using LlmAdapters.Batch;
using LlmAdapters.Cost;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.Chat.Batch;

/// <summary>
/// <c>llm-chat --batch in.jsonl --out out.jsonl</c>: sends every input line through the client with bounded concurrency,
/// appends one JSON line per finished item to the output, shows progress on stderr and prints a summary. Running it again
/// with the same output skips the items that already succeeded there.
/// </summary>
internal static class BatchCommand
{
    /// <summary>Runs a batch. Self-contained: the caller only builds the client and parses the command line.</summary>
    /// <param name="client">The client (normally the configured pipeline, so rate limits, retries and budgets apply).</param>
    /// <param name="options">The input, output and batch options.</param>
    /// <param name="stdout">Where the summary goes.</param>
    /// <param name="stderr">Where progress, bad input lines and the stop reason go.</param>
    /// <param name="cancellationToken">Cancels the batch (Ctrl+C): finished items stay written, the rest run on the next attempt.</param>
    /// <returns>0 when every item has succeeded, 1 when some failed, were not run or were bad lines, 2 when the input cannot be read, 130 when cancelled.</returns>
    public static async Task<int> RunAsync(IChatClient client, BatchCommandOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.InputPath))
        {
            await stderr.WriteLineAsync($"error: the batch input '{options.InputPath}' does not exist.");
            return 2;
        }

        var (items, badLines) = await BatchInput.ReadAsync(options.InputPath, cancellationToken);
        foreach (var bad in badLines)
        {
            await stderr.WriteLineAsync($"{options.InputPath} {bad} (skipped)");
        }

        var (alreadyDone, unreadable) = await BatchOutput.ReadSucceededAsync(options.OutputPath, cancellationToken);
        if (unreadable > 0)
        {
            await stderr.WriteLineAsync($"{options.OutputPath}: {unreadable} unreadable line(s) ignored (a run that was killed mid-line); their items run again.");
        }

        var todo = items.Where(i => !alreadyDone.Contains(i.Id!)).ToList();
        var skipped = items.Count - todo.Count;
        if (skipped > 0)
        {
            await stderr.WriteLineAsync($"resuming: {skipped} item(s) already succeeded in {options.OutputPath} are skipped.");
        }

        var display = new BatchProgressDisplay(stderr, options.LiveProgress, options.TimeProvider);
        ChatBatchResult result;
        var cancelled = false;
        await using (var output = await BatchOutput.OpenAsync(options.OutputPath, cancellationToken))
        {
            var batchOptions = new ChatBatchOptions
            {
                MaxConcurrency = options.MaxConcurrency,
                ContinueOnError = !options.StopOnError,
                Progress = display,
                TimeProvider = options.TimeProvider,
                ItemCompleted = async r =>
                {
                    if (r.Status is ChatBatchItemStatus.Succeeded or ChatBatchItemStatus.Failed)
                    {
                        await output.WriteAsync(r);
                    }
                },
            };
            try
            {
                result = await client.GetBatchResponsesAsync(todo, batchOptions, cancellationToken);
            }
            catch (ChatBatchCanceledException ex) when (ex.Result is not null)
            {
                result = ex.Result;
                cancelled = true;
            }
        }

        display.Complete();
        if (result.StopError is { } stop && result.StopReason != ChatBatchStopReason.Cancelled)
        {
            await stderr.WriteLineAsync($"stopped ({Describe(result.StopReason)}): {stop.Message}");
        }

        await stdout.WriteLineAsync(Summary(result, skipped, badLines.Count, options.OutputPath));
        return cancelled ? 130 : result.Succeeded == result.Items.Count && badLines.Count == 0 ? 0 : 1;
    }

    /// <summary>The error kind written for a failed item: the provider error's kind, else the exception's type name.</summary>
    internal static string KindOf(ChatBatchItemResult result) =>
        result.ErrorKind?.ToString() ?? result.Error?.GetType().Name ?? "Unknown";

    private static string Describe(ChatBatchStopReason reason) => reason switch
    {
        ChatBatchStopReason.BudgetExceeded => "budget exhausted",
        ChatBatchStopReason.Error => "stop at the first error",
        ChatBatchStopReason.Cancelled => "cancelled",
        _ => "completed",
    };

    private static string Summary(ChatBatchResult result, int skipped, int badLines, string outputPath)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"batch: {result.Items.Count + skipped} item(s): {result.Succeeded} succeeded");
        if (result.Failed > 0)
        {
            var kinds = result.Items.Where(r => r.Status == ChatBatchItemStatus.Failed)
                .GroupBy(KindOf).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}"));
            text.Append(CultureInfo.InvariantCulture, $", {result.Failed} failed ({string.Join(", ", kinds)})");
        }

        if (result.Cancelled > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {result.Cancelled} cancelled in flight");
        }

        if (result.NotRun > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {result.NotRun} not run ({Describe(result.StopReason)})");
        }

        if (skipped > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {skipped} skipped (already succeeded)");
        }

        if (badLines > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {badLines} bad input line(s)");
        }

        text.Append(CultureInfo.InvariantCulture,
            $" · {result.Usage.InputTokenCount:N0} in / {result.Usage.OutputTokenCount:N0} out tokens · {ChatCost.FormatUsd(result.Cost)} · {BatchProgressDisplay.FormatDuration(result.Elapsed)} · results in {outputPath}");
        if (result.Succeeded < result.Items.Count)
        {
            text.Append(Environment.NewLine).Append("Run the same command again to retry the items that did not succeed.");
        }

        return text.ToString();
    }
}

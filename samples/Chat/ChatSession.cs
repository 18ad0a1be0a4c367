// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LlmAdapters.Cost;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.Chat;

/// <summary>One conversation: keeps the history, sends a prompt, prints the reply and its figures.</summary>
/// <remarks>
/// With <paramref name="sharedLedger"/> the ledger is the one every process shares on Redis (docs/scaling.md): the
/// figures after each reply add its total, and <c>/cost</c> says whose calls it counts.
/// </remarks>
internal sealed class ChatSession(
    IChatClient client, CliOptions options, ChatClientSettings settings, ICostLedger ledger, bool sharedLedger, ConsoleStyle output, ConsoleStyle errors)
{
    private static readonly JsonSerializerOptions s_json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = true };

    private readonly List<ChatMessage> _history = [];
    private decimal _sessionCost;
    private bool _sessionCostKnown = true;
    private bool _inReasoning;

    public string Describe()
    {
        var metadata = client.GetService<ChatClientMetadata>();
        return $"{metadata?.ProviderName ?? settings.Provider} {metadata?.DefaultModelId ?? settings.Model}{(options.Raw ? ", raw adapter" : string.Empty)}";
    }

    public void Reset() => _history.Clear();

    /// <summary>Prints the cost ledger of the session: one line per model, then the total.</summary>
    public void PrintLedger()
    {
        var total = ledger.GetTotal();
        if (sharedLedger)
        {
            Console.WriteLine(output.Dim("Shared ledger (Redis): the calls of every process that uses it."));
        }

        if (total.Calls == 0)
        {
            Console.WriteLine(output.Dim("No calls yet."));
            return;
        }

        foreach (var row in ledger.GetTotals(CostGrouping.Model))
        {
            Console.WriteLine(LedgerLine(row.Key ?? "?", row));
        }

        Console.WriteLine(LedgerLine("total", total));
    }

    /// <summary>Sends a prompt and prints the reply; Ctrl+C (through <paramref name="interruption"/>) stops it.</summary>
    public async Task<ReplyOutcome> SendAsync(string prompt, ReplyInterruption interruption, CancellationToken cancellationToken)
    {
        _history.Add(new ChatMessage(ChatRole.User, prompt));
        using var reply = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interruption.BeginReply());
        try
        {
            await SendCoreAsync(reply.Token);
            return ReplyOutcome.Completed;
        }
        catch (OperationCanceledException) when (reply.IsCancellationRequested)
        {
            _history.RemoveAt(_history.Count - 1);
            Console.WriteLine();
            await Console.Error.WriteLineAsync(errors.Dim("Stopped: the reply was cancelled (Ctrl+C again exits)."));
            return ReplyOutcome.Cancelled;
        }
        catch (Exception ex) when (ex is ChatProviderException or BudgetExceededException or ToolLoopException)
        {
            _history.RemoveAt(_history.Count - 1);
            await Console.Error.WriteLineAsync(errors.Error("error: " + ex.Message));
            return ReplyOutcome.Failed;
        }
        finally
        {
            interruption.EndReply();
        }
    }

    private async Task SendCoreAsync(CancellationToken cancellationToken)
    {
        var chatOptions = options.Raw ? RawOptions() : null;
        if (options.Reasoning)
        {
            chatOptions ??= new ChatOptions();
            chatOptions.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium, Output = ReasoningOutput.Full };
        }

        _inReasoning = false;
        var stopwatch = Stopwatch.StartNew();
        TimeSpan? firstToken = null;
        ChatResponse response;
        ChatCost? cost;
        var waiting = options.Json ? null : WaitingIndicator.Start(errors, TimeProvider.System);
        await using (waiting)
        {
            if (options.NoStream)
            {
                response = await client.GetResponseAsync(_history, chatOptions, cancellationToken);
                firstToken = stopwatch.Elapsed;
                cost = response.GetCost();
                if (waiting is not null)
                {
                    await waiting.DisposeAsync();
                }

                if (!options.Json)
                {
                    foreach (var content in response.Messages.SelectMany(m => m.Contents))
                    {
                        Write(content);
                    }

                    Console.WriteLine();
                }
            }
            else
            {
                var updates = new List<ChatResponseUpdate>();
                await foreach (var update in client.GetStreamingResponseAsync(_history, chatOptions, cancellationToken))
                {
                    updates.Add(update);
                    foreach (var content in update.Contents)
                    {
                        if (content is TextContent { Text.Length: > 0 } or TextReasoningContent { Text.Length: > 0 })
                        {
                            firstToken ??= stopwatch.Elapsed;
                            if (waiting is not null)
                            {
                                await waiting.DisposeAsync();
                            }

                            if (!options.Json)
                            {
                                Write(content);
                            }
                        }
                    }
                }

                response = updates.ToChatResponse();
                cost = updates.GetCost();
                if (!options.Json)
                {
                    Console.WriteLine();
                }
            }
        }

        stopwatch.Stop();
        _history.AddMessages(response);
        if (options.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(response, s_json));
            return;
        }

        if (cost is null)
        {
            _sessionCostKnown = false;
        }
        else
        {
            _sessionCost += cost.Total;
        }

        Console.WriteLine(output.Dim(Figures(response, firstToken, stopwatch.Elapsed, options.Raw ? "n/a (the raw adapter has no cost accounting)" : CostText(cost), _sessionCostKnown ? _sessionCost : null, sharedLedger ? ledger.GetTotal() : null)));
    }

    /// <summary>Prints the text of a reply, and its reasoning (dimmed) when <c>--reasoning</c> asked for it.</summary>
    private void Write(AIContent content)
    {
        switch (content)
        {
            case TextReasoningContent reasoning when options.Reasoning:
                Console.Write(output.Reasoning(reasoning.Text));
                _inReasoning = true;
                break;
            case TextContent text:
                if (_inReasoning)
                {
                    // The answer starts on its own line below the reasoning.
                    Console.WriteLine();
                    _inReasoning = false;
                }

                Console.Write(text.Text);
                break;
        }
    }

    /// <summary>The raw adapter has no defaults stage: give it the configured ones here.</summary>
    private ChatOptions RawOptions() => new()
    {
        ModelId = settings.Model,
        Instructions = settings.SystemPrompt,
        Temperature = settings.Temperature,
        MaxOutputTokens = settings.MaxOutputTokens,
    };

    private static string LedgerLine(string key, CostSummary row) =>
        $"{key}: {ChatCost.FormatUsd(row.Total)} over {Count(row.Calls)} call(s), {Count(row.InputTokens)} in / {Count(row.OutputTokens)} out tokens"
        + (row.UnpricedCalls > 0 ? $", {Count(row.UnpricedCalls)} unpriced" : string.Empty);

    private static string CostText(ChatCost? cost) => cost is null ? "unknown (no price for this model)" : cost.ToString();

    private static string Figures(ChatResponse response, TimeSpan? firstToken, TimeSpan total, string cost, decimal? session, CostSummary? shared)
    {
        var usage = response.Usage;
        var parts = new List<string>
        {
            $"model {response.ModelId ?? "?"}",
            $"{Count(usage?.InputTokenCount)} in / {Count(usage?.OutputTokenCount)} out tokens",
            $"first token {Milliseconds(firstToken)}",
            $"total {Milliseconds(total)}",
            $"cost {cost}",
            $"session {(session is { } s ? ChatCost.FormatUsd(s) : "unknown")}",
        };
        if (shared is not null)
        {
            parts.Add($"all processes {ChatCost.FormatUsd(shared.Total)} over {Count(shared.Calls)} call(s)");
        }

        return "[" + string.Join(" · ", parts) + "]";
    }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Milliseconds(TimeSpan? value) => value is { } v ? $"{v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : "-";
}

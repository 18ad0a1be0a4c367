// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LlmAdapters.Cost;
using LlmAdapters.Hosting;
using LlmAdapters.Redis;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// One conversation: keeps the history, sends a prompt, prints the reply and its figures; with <c>AI:Redis</c> set, also
/// the total of the shared ledger (every process on that Redis).
/// </summary>
internal sealed class ChatSession(IChatClient client, CliOptions options, ChatClientSettings settings, RedisCostLedger? sharedLedger = null)
{
    private static readonly JsonSerializerOptions s_json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = true };

    private readonly List<ChatMessage> _history = [];
    private decimal _sessionCost;
    private bool _sessionCostKnown = true;

    public string Describe()
    {
        var metadata = client.GetService<ChatClientMetadata>();
        return $"{metadata?.ProviderName ?? settings.Provider} {metadata?.DefaultModelId ?? settings.Model}{(options.Raw ? ", raw adapter" : string.Empty)}";
    }

    public void Reset() => _history.Clear();

    public async Task SendAsync(string prompt, CancellationToken cancellationToken)
    {
        _history.Add(new ChatMessage(ChatRole.User, prompt));
        var chatOptions = options.Raw ? RawOptions() : null;
        var stopwatch = Stopwatch.StartNew();
        TimeSpan? firstToken = null;
        ChatResponse response;
        ChatCost? cost;
        try
        {
            if (options.NoStream)
            {
                response = await client.GetResponseAsync(_history, chatOptions, cancellationToken);
                firstToken = stopwatch.Elapsed;
                cost = response.GetCost();
                if (!options.Json)
                {
                    Console.WriteLine(response.Text);
                }
            }
            else
            {
                var updates = new List<ChatResponseUpdate>();
                await foreach (var update in client.GetStreamingResponseAsync(_history, chatOptions, cancellationToken))
                {
                    updates.Add(update);
                    if (update.Text.Length > 0)
                    {
                        firstToken ??= stopwatch.Elapsed;
                        if (!options.Json)
                        {
                            Console.Write(update.Text);
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
        catch
        {
            _history.RemoveAt(_history.Count - 1);
            throw;
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

        Console.WriteLine(Figures(response, firstToken, stopwatch.Elapsed, options.Raw ? "n/a (the raw adapter has no cost accounting)" : CostText(cost), _sessionCostKnown ? _sessionCost : null));
        if (sharedLedger is not null && !options.Raw)
        {
            var shared = await sharedLedger.GetTotalAsync(cancellationToken: cancellationToken);
            Console.WriteLine($"shared total {ChatCost.FormatUsd(shared.Total)} over {shared.Calls} calls (every process on Redis)");
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

    private static string CostText(ChatCost? cost) => cost is null ? "unknown (no price for this model)" : ChatCost.FormatUsd(cost.Total);

    private static string Figures(ChatResponse response, TimeSpan? firstToken, TimeSpan total, string cost, decimal? session)
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
        return "[" + string.Join(" · ", parts) + "]";
    }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Milliseconds(TimeSpan? value) => value is { } v ? $"{v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : "-";
}

// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Cost;

/// <summary>
/// Prices every response from its <see cref="UsageDetails"/> with a <see cref="PriceCatalog"/>, attaches the
/// <see cref="ChatCost"/> to it (<see cref="ChatCostExtensions.GetCost(ChatResponse)"/>), tags the current
/// <see cref="Activity"/>, adds it to the <c>llmadapters.cost</c> counter and records it in an <see cref="ICostLedger"/>.
/// </summary>
/// <remarks>
/// <para>
/// Placed outside <see cref="FunctionInvokingChatClient"/> (as configured pipelines do), it counts a whole tool loop:
/// a streamed loop is priced call by call (each usage update), a non-streaming loop from its summed usage, so a
/// long-context tier is chosen from the loop's total input (docs/cost.md).
/// </para>
/// <para>A streamed response's cost is attached to each update that carries usage, as the cost of the response so far.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed partial class CostAccountingChatClient : DelegatingChatClient
{
    private readonly CostAccountingChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _warnedModels = new(StringComparer.OrdinalIgnoreCase);
    private readonly ChatClientMetadata? _metadata;

    /// <summary>Initializes a new instance of the <see cref="CostAccountingChatClient"/> class.</summary>
    /// <param name="innerClient">The client to account for.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger (one warning per unpriced model), or <see langword="null"/> for none.</param>
    public CostAccountingChatClient(IChatClient innerClient, CostAccountingChatClientOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        _options = options ?? new CostAccountingChatClientOptions();
        ArgumentNullException.ThrowIfNull(_options.Catalog);
        ArgumentNullException.ThrowIfNull(_options.TimeProvider);
        _logger = logger ?? NullLogger.Instance;
        _metadata = innerClient.GetService<ChatClientMetadata>();
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var modelId = response.ModelId ?? options?.ModelId ?? _metadata?.DefaultModelId;
        var cost = Account(modelId, response.Usage, options);
        if (cost is not null)
        {
            response.SetCost(cost);
            Activity.Current?.SetTag(CostTelemetry.CostTag, (double)cost.Total);
        }

        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? modelId = null;
        ChatCost? total = null;
        var unknown = false;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            modelId = update.ModelId ?? modelId;

            // By index: a foreach over the IList would box its enumerator on every update.
            var contents = update.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is UsageContent usage)
                {
                    var cost = Account(modelId ?? options?.ModelId ?? _metadata?.DefaultModelId, usage.Details, options);
                    unknown |= cost is null;
                    total = cost is null ? total : total?.Add(cost) ?? cost;
                    if (!unknown && total is not null)
                    {
                        update.SetCost(total);
                        Activity.Current?.SetTag(CostTelemetry.CostTag, (double)total.Total);
                    }
                }
            }

            yield return update;
        }
    }

    private ChatCost? Account(string? modelId, UsageDetails? usage, ChatOptions? options)
    {
        var provider = _metadata?.ProviderName;
        ChatCost? cost = null;
        if (usage is null)
        {
            Log.NoUsage(_logger, modelId);
        }
        else if (_options.Catalog.GetPrice(modelId) is { } price)
        {
            cost = price.Calculate(usage, modelId!, price.ModelId);
        }
        else if (provider is not null && _options.LocalProviders.Contains(provider))
        {
            // A local model (Ollama) costs nothing unless a price is configured for it.
            cost = new ChatCost { Total = 0m, ModelId = modelId };
        }
        else if (!_warnedModels.ContainsKey(modelId ?? "(none)") && _warnedModels.TryAdd(modelId ?? "(none)", true))
        {
            // Warned once: the lock-free read above keeps the steady state off TryAdd's bucket lock (issue 24).
            Log.UnpricedModel(_logger, modelId ?? "(none)", provider);
        }

        var tags = new TagList
        {
            { CostTelemetry.ProviderTag, provider },
            { CostTelemetry.ModelTag, modelId },
            { CostTelemetry.ClientTag, _options.ClientName },
        };
        if (cost is not null)
        {
            CostTelemetry.Cost.Add((double)cost.Total, tags);
        }
        else
        {
            CostTelemetry.Unpriced.Add(1, tags);
        }

        _options.Ledger?.Record(new CostEntry
        {
            Timestamp = _options.TimeProvider.GetUtcNow(),
            ClientName = _options.ClientName,
            Provider = provider,
            ModelId = modelId,
            Tenant = options.GetTenant(),
            Cost = cost,
            InputTokens = usage?.InputTokenCount ?? 0,
            OutputTokens = usage?.OutputTokenCount ?? 0,
        });
        return cost;
    }
}

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
/// <para>A tool-loop run that ends with an exception records the model calls it made (their usage rides on the exception, <see cref="ChatRunTotalsExtensions.GetRunTotals(Exception)"/>); a streamed run recorded them as their usage arrived.</para>
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
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception.GetRunTotals() is { ModelCalls: > 0 } run)
        {
            // A tool-loop run that ended with an exception (a run limit, a ToolLoopException, a failed call) had its model
            // calls billed: they are recorded, and the cost goes with the exception so the budget settles the same amount.
            var spent = Account(run.ModelId, options, run.Usage, PricingDecision.Read(options?.AdditionalProperties), estimated: false);
            if (spent is not null)
            {
                exception.Data[ChatCostExtensions.CostKey] = spent;
            }

            throw;
        }

        var cost = Account(response.ModelId, options, response.Usage, PricingDecision.ServiceTier(response.AdditionalProperties, options), estimated: false);
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
        string? serviceTier = null;
        ChatCost? total = null;
        var unknown = false;
        var sawUsage = false;
        var completed = false;
        var failed = false;
        long received = 0;
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw; // the caller cancelled: the finally block records what was consumed
                }
                catch
                {
                    failed = true;
                    throw;
                }

                modelId = update.ModelId ?? modelId;
                serviceTier = PricingDecision.Read(update.AdditionalProperties) ?? serviceTier;
                received += CancelledStreamEstimate.Characters(update);

                // By index: a foreach over the IList would box its enumerator on every update.
                var contents = update.Contents;
                for (var i = 0; i < contents.Count; i++)
                {
                    if (contents[i] is UsageContent usage)
                    {
                        sawUsage = true;
                        var cost = Account(modelId, options, usage.Details, serviceTier ?? PricingDecision.Read(options?.AdditionalProperties), estimated: false);
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
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            if (!completed && !failed && !sawUsage)
            {
                // Cancelled or abandoned by the caller before the provider reported usage: the provider billed what it
                // processed, so record an estimate (marked) instead of nothing.
                var usage = CancelledStreamEstimate.Usage(_options.TokenEstimator, messages, options, received);
                _ = Account(modelId, options, usage, serviceTier ?? PricingDecision.Read(options?.AdditionalProperties), estimated: true);
            }
        }
    }

    private string? RequestedModel(ChatOptions? options) => options?.ModelId ?? _metadata?.DefaultModelId;

    private ChatCost? Account(string? responseModelId, ChatOptions? options, UsageDetails? usage, string? serviceTier, bool estimated)
    {
        var provider = _metadata?.ProviderName;
        var requested = RequestedModel(options);
        var modelId = responseModelId ?? requested;
        var local = provider is not null && _options.LocalProviders.Contains(provider);
        ChatCost? cost = null;
        if (usage is null)
        {
            Log.NoUsage(_logger, modelId);
        }
        else
        {
            cost = PricingDecision.Price(_options.Catalog, usage, responseModelId, requested, serviceTier, local, estimated);
            if (cost is null && !_warnedModels.ContainsKey(modelId ?? "(none)") && _warnedModels.TryAdd(modelId ?? "(none)", true))
            {
                // Warned once: the lock-free read first keeps the steady state off TryAdd's bucket lock (issue 24).
                Log.UnpricedModel(_logger, modelId ?? "(none)", provider);
            }
        }

        var tags = new TagList
        {
            { CostTelemetry.ProviderTag, provider },
            { CostTelemetry.ModelTag, modelId },
            { CostTelemetry.ClientTag, _options.ClientName },
        };
        if (cost is not null)
        {
            tags.Add(CostTelemetryNames.CostCurrencyAttribute, ChatCost.UsdCurrency);
            tags.Add(CostTelemetryNames.CostSourceAttribute, CostTelemetry.SourceOf(cost));
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
            Caller = options.GetCaller(),
            Cost = cost,
            InputTokens = usage?.InputTokenCount ?? 0,
            OutputTokens = usage?.OutputTokenCount ?? 0,
        });
        return cost;
    }
}

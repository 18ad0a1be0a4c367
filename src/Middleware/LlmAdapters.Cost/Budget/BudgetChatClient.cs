// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Cost;

/// <summary>
/// Enforces spending limits in US dollars. Before a call it reserves the worst case (estimated input plus the output
/// limit, at the model's prices) against every limit and throws <see cref="BudgetExceededException"/> when one does not
/// fit; after the call it settles the reservation with the real cost; a failed call releases it, unless it was a tool-loop
/// run that had already made model calls (<see cref="ChatRunTotalsExtensions.GetRunTotals(Exception)"/>): their cost is settled.
/// </summary>
/// <remarks>
/// <para>The real cost is the <see cref="ChatCost"/> attached by an inner <see cref="CostAccountingChatClient"/>, else it is computed from the usage by the same pricing decision (<see cref="PriceCatalog.Calculate(UsageDetails?, string?, string?, string?)"/>); a response without usage spends its whole reservation.</para>
/// <para>A stream that fails releases its reservation unless usage was seen (then that usage is spent); a stream the caller cancels or abandons before its usage arrived spends the estimate cost accounting records (the prompt and the text received).</para>
/// <para>A call to a model without a price is rejected, unless the catalog prices unpriced models (<see cref="UnpricedModelPolicy.Estimate"/>).</para>
/// <para>Thread-safe: the store decides atomically (see <see cref="IBudgetStore"/>).</para>
/// </remarks>
public sealed partial class BudgetChatClient : DelegatingChatClient
{
    private readonly BudgetChatClientOptions _options;
    private readonly IBudgetStore _store;
    private readonly BudgetLimit[] _limits;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata? _metadata;
    private readonly ConcurrentDictionary<string, bool> _warnedModels = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes a new instance of the <see cref="BudgetChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose calls are budgeted.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">A limit is invalid.</exception>
    public BudgetChatClient(IChatClient innerClient, BudgetChatClientOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(options.Catalog);
        ArgumentNullException.ThrowIfNull(options.TokenEstimator);
        _limits = [.. options.Limits];
        foreach (var limit in _limits)
        {
            limit.Validate();
        }

        _store = options.Store ?? new InMemoryBudgetStore();
        _logger = logger ?? NullLogger.Instance;
        _metadata = innerClient.GetService<ChatClientMetadata>();
    }

    /// <summary>Gets the store of spent and reserved amounts.</summary>
    public IBudgetStore Store => _store;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var held = await ReserveAsync(messages, options, cancellationToken).ConfigureAwait(false);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (exception.GetRunTotals() is { ModelCalls: > 0 } run)
            {
                // A tool-loop run that ended with an exception made model calls the provider billed: settle what they cost
                // (the cost accounting inside priced them; else the same decision here; unknown spends the reservation).
                var spent = (exception.Data[ChatCostExtensions.CostKey] as ChatCost)?.Total
                    ?? PricingDecision.Price(_options.Catalog, run.Usage, run.ModelId, RequestModel(options), PricingDecision.Read(options?.AdditionalProperties), IsLocal)?.Total;
                await SettleAsync(held, spent).ConfigureAwait(false);
            }
            else
            {
                await ReleaseAsync(held).ConfigureAwait(false);
            }

            throw;
        }

        // The cost accounting inside attached the call's one pricing decision; without it, the same decision is made here.
        var actual = response.GetCost()?.Total
            ?? PricingDecision.Price(_options.Catalog, response.Usage, response.ModelId, RequestModel(options), PricingDecision.ServiceTier(response.AdditionalProperties, options), IsLocal)?.Total;
        await SettleAsync(held, actual).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var held = await ReserveAsync(messages, options, cancellationToken).ConfigureAwait(false);
        string? modelId = null;
        string? serviceTier = null;
        ChatCost? attached = null;
        decimal? computed = null;
        var failed = false;
        var completed = false;
        long received = 0;
        try
        {
            var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
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
                        throw; // cancelled by the caller: the provider billed what it processed (settled below)
                    }
                    catch
                    {
                        failed = true;
                        throw;
                    }

                    modelId = update.ModelId ?? modelId;
                    serviceTier = PricingDecision.Read(update.AdditionalProperties) ?? serviceTier;
                    attached = update.GetCost() ?? attached;
                    received += CancelledStreamEstimate.Characters(update);
                    // By index: a foreach over the IList would box its enumerator on every update.
                    var contents = update.Contents;
                    for (var i = 0; i < contents.Count; i++)
                    {
                        if (contents[i] is UsageContent usage
                            && PricingDecision.Price(_options.Catalog, usage.Details, modelId, RequestModel(options), serviceTier ?? PricingDecision.Read(options?.AdditionalProperties), IsLocal) is { } cost)
                        {
                            computed = (computed ?? 0) + cost.Total;
                        }
                    }

                    yield return update;
                }
            }

        }
        finally
        {
            var seen = attached?.Total ?? computed;
            if (seen is { } spent)
            {
                await SettleAsync(held, spent).ConfigureAwait(false);
            }
            else if (failed)
            {
                await ReleaseAsync(held).ConfigureAwait(false);
            }
            else if (!completed && held.Count > 0)
            {
                // Cancelled or abandoned by the caller before the usage arrived: spend what cost accounting records for it,
                // the prompt and the text received, estimated and priced by the same decision (docs/cost.md, "Cancelled streams").
                var usage = CancelledStreamEstimate.Usage(_options.TokenEstimator, messages, options, received);
                var estimate = PricingDecision.Price(_options.Catalog, usage, modelId, RequestModel(options), serviceTier ?? PricingDecision.Read(options?.AdditionalProperties), IsLocal, estimated: true);
                await SettleAsync(held, estimate?.Total).ConfigureAwait(false);
            }
            else
            {
                // Completed without usage: the provider may have billed anything up to the worst case.
                await SettleAsync(held, null).ConfigureAwait(false);
            }
        }
    }

    private string? RequestModel(ChatOptions? options) => options?.ModelId ?? _metadata?.DefaultModelId;

    private bool IsLocal => _metadata?.ProviderName is { } provider && PricingDecision.DefaultLocalProviders.Contains(provider);

    // A ValueTask and a Held struct: a call whose store answers synchronously (the in-memory store) allocates neither a
    // Task nor a list for its reservations.
    private async ValueTask<Held> ReserveAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var worstCaseOutput = options.GetWorstCaseOutputTokens(); // read first: a bad value is an error even with no limit
        var held = default(Held);
        if (_limits.Length == 0)
        {
            return held;
        }

        var modelId = RequestModel(options);
        if (PricingDecision.Decide(_options.Catalog, null, modelId, IsLocal) is not { } decision)
        {
            // A lock-free read first: once warned, the steady state takes no bucket lock per call (issue 24).
            if (!_warnedModels.ContainsKey(modelId ?? "(none)") && _warnedModels.TryAdd(modelId ?? "(none)", true))
            {
                Log.UnpricedModel(_logger, modelId ?? "(none)");
            }

            // No silent unenforced budget: a model without a price cannot be reserved, so the call is rejected unless a
            // policy prices it (AI:Pricing:UnpricedModels = Estimate).
            throw new BudgetExceededException(
                $"Budget cannot reserve a call to model '{modelId ?? "(none)"}': it has no price. Add it under AI:Pricing:Models:{modelId ?? "{model}"} (Input and Output, USD per million tokens), or set AI:Pricing:UnpricedModels to Estimate with AI:Pricing:Estimate:Input and :Output.");
        }

        var price = decision.Price.ForServiceTier(PricingDecision.Read(options?.AdditionalProperties));

        var input = _options.TokenEstimator.EstimateInputTokens(messages, options);
        var maxOutput = worstCaseOutput ?? options?.MaxOutputTokens ?? price.MaxOutputTokens ?? _options.DefaultMaxOutputTokens;
        var worstCase = price.CalculateWorstCase(input, maxOutput);
        var tenant = options.GetTenant() ?? "";
        foreach (var limit in _limits)
        {
            var scopeKey = limit.Scope == BudgetScope.Tenant ? tenant : _options.ClientName;
            BudgetReservation reservation;
            try
            {
                reservation = await _store.TryReserveAsync(limit, scopeKey, worstCase, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await ReleaseAsync(held).ConfigureAwait(false);
                throw;
            }

            if (!reservation.IsGranted)
            {
                await ReleaseAsync(held).ConfigureAwait(false);
                Log.BudgetExceeded(_logger, limit.Name, worstCase, scopeKey, reservation.Usage.Spent, reservation.Usage.Reserved, limit.Amount);
                CostTelemetry.BudgetRejected.Add(1, new TagList
                {
                    { CostTelemetry.BudgetLimitTag, limit.Name },
                    { CostTelemetry.ClientTag, _options.ClientName },
                    { CostTelemetry.ModelTag, modelId },
                });
                throw new BudgetExceededException(reservation);
            }

            held = held.With(reservation, _limits.Length);
        }

        return held.WithPrice(price);
    }

    // Settling and releasing must happen even when the caller's token was cancelled, or the reservation would stay held.
    private async ValueTask SettleAsync(Held held, decimal? actual)
    {
        for (var i = 0; i < held.Count; i++)
        {
            var reservation = held[i];
            await _store.SettleAsync(reservation, actual ?? reservation.Amount, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask ReleaseAsync(Held held)
    {
        for (var i = 0; i < held.Count; i++)
        {
            await _store.ReleaseAsync(held[i], CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The reservations of one call, in the order taken, and the price they were taken at: the only one inline (the usual
    /// single limit), several in an array sized for every limit.
    /// </summary>
    private readonly struct Held
    {
        private readonly BudgetReservation? _single;
        private readonly BudgetReservation[]? _many;

        private Held(BudgetReservation? single, BudgetReservation[]? many, int count, ModelPrice? price)
        {
            _single = single;
            _many = many;
            Count = count;
            Price = price;
        }

        public int Count { get; }

        public ModelPrice? Price { get; }

        public BudgetReservation this[int index] => _many is { } many ? many[index] : _single!;

        public Held With(BudgetReservation reservation, int capacity)
        {
            if (capacity == 1)
            {
                return new Held(reservation, null, 1, Price);
            }

            var many = _many ?? new BudgetReservation[capacity];
            many[Count] = reservation;
            return new Held(null, many, Count + 1, Price);
        }

        public Held WithPrice(ModelPrice price) => new(_single, _many, Count, price);
    }
}

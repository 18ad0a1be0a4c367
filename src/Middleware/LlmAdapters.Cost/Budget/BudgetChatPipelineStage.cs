// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Cost;

/// <summary>
/// Budgets (<c>UseBudget</c>), on when a limit is set: <c>Pipeline:Budget:Daily</c>,
/// <c>:Monthly</c> (US dollars per client), <c>:Rolling:Amount</c> with <c>:Rolling:Window</c>, <c>:Tenant:Daily</c>,
/// <c>:Tenant:Monthly</c> (per tenant). <c>:Store</c> is <c>Memory</c> (default: the <see cref="IBudgetStore"/> service, else
/// one in-memory store shared by every configured client) or <c>DistributedCache</c> (over the <see cref="IDistributedCache"/> service).
/// <c>:DefaultMaxOutputTokens</c> (default 4096). A budget on a client whose model has no price is a start-up error
/// naming the model and the keys to set, unless <c>AI:Pricing:UnpricedModels</c> chooses a policy (<c>Reject</c>, or
/// <c>Estimate</c> with a price); <c>:RejectUnpricedModels = true</c> is the same choice as <c>Reject</c>. <c>:Run:Cost</c>, <c>:Run:Tokens</c>,
/// <c>:Run:ModelCalls</c>, <c>:Run:Duration</c> (with <c>:Run:WrapUp</c>, <c>:Run:WrapUpInstruction</c>, <c>:Run:WrapUpMaxOutputTokens</c>)
/// limit one call's whole tool loop (<see cref="RunBudget"/>).
/// </summary>
public sealed class BudgetChatPipelineStage : ChatPipelineStage<BudgetChatClientOptions>
{
    private static readonly string[] s_limitKeys = ["Daily", "Monthly", "Rolling:Amount", "Tenant:Daily", "Tenant:Monthly"];
    private readonly Lock _lock = new();
    private IBudgetStore? _sharedMemoryStore;
    private IBudgetStore? _sharedDistributedStore;

    /// <inheritdoc/>
    public override string Name => "Budget";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.Budget;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> CallOverrideKeys =>
        [ChatOptionsTenantExtensions.TenantKey, ChatOptionsBudgetExtensions.WorstCaseOutputTokensKey, ChatOptionsRunBudgetExtensions.RunBudgetKey];

    /// <inheritdoc/>
    /// <remarks>The tenant is part of what an answer is: tenants do not share cached answers.</remarks>
    public override IReadOnlyCollection<string> CacheKeyCallOverrideKeys => [ChatOptionsTenantExtensions.TenantKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) =>
        s_limitKeys.Any(k => !string.IsNullOrWhiteSpace(context.Section[k])) || RunBudgetConfiguration.IsSet(context.Section);

    /// <inheritdoc/>
    public override BudgetChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var limits = ReadLimits(context, errors);
        var run = RunBudgetConfiguration.Read(context, errors);
        if (limits.Count == 0 && run is null && errors.Count == before)
        {
            errors.Add($"{context.SectionPath}:Enabled is true, but no limit is set: set {context.SectionPath}:Daily or :Monthly (US dollars).");
        }

        var store = context.Section["Store"];
        var storeValid = true;
        if (!string.IsNullOrWhiteSpace(store) && !IsMemory(store) && !IsDistributed(store))
        {
            errors.Add($"{context.SectionPath}:Store is '{store}': use Memory or DistributedCache.");
            storeValid = false;
        }

        if (IsDistributed(store) && context.Services.GetService<IDistributedCache>() is null)
        {
            errors.Add($"{context.SectionPath}:Store is DistributedCache, but no IDistributedCache service is registered.");
            storeValid = false;
        }

        var catalog = CostAccountingChatPipelineStage.ReadCatalog(context, errors);
        var rejectUnpriced = ConfigurationReader.GetBoolean(context.Section, "RejectUnpricedModels", errors, context.SectionPath) ?? false;
        if (!rejectUnpriced)
        {
            ValidatePriced(context, catalog, context.SectionPath, errors);
        }

        var options = new BudgetChatClientOptions
        {
            Catalog = catalog,
            ClientName = context.ClientName,
            TokenEstimator = context.Services.GetService<ITokenEstimator>() ?? ApproximateTokenEstimator.Instance,
            RejectUnpricedModels = rejectUnpriced,
            DefaultMaxOutputTokens = ConfigurationReader.GetInt32(context.Section, "DefaultMaxOutputTokens", 1, errors, context.SectionPath) ?? 4096,
            Run = run,
        };
        if (run is not null)
        {
            run.DefaultMaxOutputTokens = options.DefaultMaxOutputTokens;
        }

        foreach (var limit in limits)
        {
            options.Limits.Add(limit);
        }

        options.Store = storeValid ? Store(context, IsDistributed(store)) : null;
        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, BudgetChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder =>
        {
            builder.UseBudget(options);
            if (options.Run is { } run)
            {
                builder.Use(inner => new RunBudgetDefaultsChatClient(inner, run));
            }
        });

    /// <summary>
    /// No silent unenforced budget: adds a start-up error when a limit (<paramref name="limitPath"/>, a budget or a run
    /// limit) is set on a client whose model has no price and the catalog has no policy for unpriced models.
    /// </summary>
    /// <param name="context">The client's pipeline context.</param>
    /// <param name="catalog">The client's catalog (<c>AI:Pricing</c> read).</param>
    /// <param name="limitPath">The key path of the limit, for the message.</param>
    /// <param name="errors">The errors.</param>
    internal static void ValidatePriced(ChatPipelineContext context, PriceCatalog catalog, string limitPath, List<string> errors)
    {
        if (catalog.UnpricedModels is not null || PricingDecision.DefaultLocalProviders.Contains(context.Settings.Provider))
        {
            return;
        }

        var model = context.Settings.Model;
        if (string.IsNullOrWhiteSpace(model) || catalog.GetPrice(model) is not null)
        {
            return;
        }

        var pricing = context.GetClientSection("Pricing").Path;
        errors.Add(
            $"{limitPath} is set, but model '{model}' has no price, so the limit could not be enforced. " +
            $"Set {pricing}:Models:{model}:Input and :Output (USD per million tokens), or choose a policy for unpriced models: " +
            $"{pricing}:UnpricedModels = Reject (calls to it are rejected) or Estimate (with {pricing}:Estimate:Input and :Output).");
    }

    private static bool IsMemory(string? store) => string.IsNullOrWhiteSpace(store) || string.Equals(store, "Memory", StringComparison.OrdinalIgnoreCase);

    private static bool IsDistributed(string? store) => string.Equals(store, "DistributedCache", StringComparison.OrdinalIgnoreCase);

    private IBudgetStore Store(ChatPipelineContext context, bool distributed)
    {
        var time = context.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        lock (_lock)
        {
            if (distributed)
            {
                return _sharedDistributedStore ??= new DistributedCacheBudgetStore(context.Services.GetRequiredService<IDistributedCache>(), time);
            }

            return context.Services.GetService<IBudgetStore>() ?? (_sharedMemoryStore ??= new InMemoryBudgetStore(time));
        }
    }

    private static List<BudgetLimit> ReadLimits(ChatPipelineContext context, List<string> errors)
    {
        var limits = new List<BudgetLimit>();
        Add("Daily", BudgetPeriod.Daily, BudgetScope.Client, null);
        Add("Monthly", BudgetPeriod.Monthly, BudgetScope.Client, null);
        Add("Tenant:Daily", BudgetPeriod.Daily, BudgetScope.Tenant, null);
        Add("Tenant:Monthly", BudgetPeriod.Monthly, BudgetScope.Tenant, null);
        if (!string.IsNullOrWhiteSpace(context.Section["Rolling:Amount"]))
        {
            var window = ConfigurationReader.GetDuration(context.Section, "Rolling:Window", errors, context.SectionPath);
            if (window is null)
            {
                errors.Add($"{context.SectionPath}:Rolling:Window must be set with Rolling:Amount (examples: 1h, 24:00:00, 3600).");
            }
            else
            {
                Add("Rolling:Amount", BudgetPeriod.Rolling, BudgetScope.Client, window);
            }
        }

        return limits;

        void Add(string key, BudgetPeriod period, BudgetScope scope, TimeSpan? window)
        {
            if (ConfigurationReader.GetDecimal(context.Section, key, "an amount of US dollars (examples: 5, 0.50)", errors, context.SectionPath) is { } amount)
            {
                limits.Add(new BudgetLimit { Name = context.SectionPath + ":" + key, Amount = amount, Period = period, Scope = scope, Window = window });
            }
        }
    }
}

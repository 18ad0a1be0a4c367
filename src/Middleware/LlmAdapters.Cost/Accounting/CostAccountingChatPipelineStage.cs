// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Cost;

/// <summary>
/// Cost accounting (<c>UseCostAccounting</c>), on by default
/// (<c>Pipeline:CostAccounting:Enabled = false</c> turns it off). Prices come from the shipped catalog (or a
/// <see cref="PriceCatalog"/> service) extended by <c>AI:Pricing</c>; costs are recorded in the <see cref="ICostLedger"/>
/// service, else in a ledger shared by every configured client. Outside function invocation: it counts a whole tool loop.
/// </summary>
public sealed class CostAccountingChatPipelineStage : ChatPipelineStage<CostAccountingChatClientOptions>
{
    private readonly Lazy<InMemoryCostLedger> _fallbackLedger = new(() => new InMemoryCostLedger());

    /// <inheritdoc/>
    public override string Name => "CostAccounting";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.CostAccounting;

    /// <inheritdoc/>
    /// <remarks>The caller (<see cref="ChatOptionsTenantExtensions.CallerKey"/>) is recorded in the ledger only: callers of one tenant share cached answers.</remarks>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsTenantExtensions.TenantKey, ChatOptionsTenantExtensions.CallerKey];

    /// <inheritdoc/>
    /// <remarks>The tenant is part of what an answer is: tenants do not share cached answers.</remarks>
    public override IReadOnlyCollection<string> CacheKeyCallOverrideKeys => [ChatOptionsTenantExtensions.TenantKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) => true;

    /// <inheritdoc/>
    public override CostAccountingChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CostAccountingChatClientOptions
        {
            Catalog = ReadCatalog(context, errors),
            Ledger = context.Services.GetService<ICostLedger>() ?? _fallbackLedger.Value,
            ClientName = context.ClientName,
            TimeProvider = context.Services.GetService<TimeProvider>() ?? TimeProvider.System,
            TokenEstimator = context.Services.GetService<ITokenEstimator>() ?? ApproximateTokenEstimator.Instance,
        };
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, CostAccountingChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseCostAccounting(options));

    /// <summary>
    /// Reads the catalog of a client: the <see cref="PriceCatalog"/> service or the shipped one, extended by <c>AI:Pricing</c>;
    /// each problem of the section is added to <paramref name="errors"/> with its key path.
    /// </summary>
    internal static PriceCatalog ReadCatalog(ChatPipelineContext context, List<string> errors) =>
        (context.Services.GetService<PriceCatalog>() ?? PriceCatalog.Default).Read(context.GetClientSection("Pricing"), errors);
}

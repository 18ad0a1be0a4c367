// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Cost;

/// <summary>
/// Cost accounting (<see cref="CostAccountingChatClientBuilderExtensions.UseCostAccounting"/>), on by default
/// (<c>Pipeline:CostAccounting:Enabled = false</c> turns it off). Prices come from the shipped catalog (or a
/// <see cref="PriceCatalog"/> service) extended by <c>AI:Pricing</c>; costs are recorded in the <see cref="ICostLedger"/>
/// service, else in a ledger shared by every configured client. Outside function invocation: it counts a whole tool loop.
/// </summary>
public sealed class CostAccountingChatPipelineStage : IChatPipelineStage
{
    private readonly Lazy<InMemoryCostLedger> _fallbackLedger = new(() => new InMemoryCostLedger());

    /// <inheritdoc/>
    public string Name => "CostAccounting";

    /// <inheritdoc/>
    public int Order => ChatPipelineOrder.CostAccounting;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsTenantExtensions.TenantKey];

    /// <inheritdoc/>
    public bool IsEnabled(ChatPipelineContext context) => true;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ChatPipelineContext context) =>
        BaseCatalog(context).Validate(context.Configuration.GetSection("Pricing"));

    /// <inheritdoc/>
    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => Configure(builder, context));

    private void Configure(ChatClientBuilder builder, ChatPipelineContext context)
    {
        var catalog = Catalog(context);
        var ledger = context.Services.GetService<ICostLedger>() ?? _fallbackLedger.Value;
        builder.UseCostAccounting(o =>
        {
            o.Catalog = catalog;
            o.Ledger = ledger;
            o.ClientName = context.ClientName;
            o.LoggerFactory = context.Services.GetService<ILoggerFactory>();
            o.TimeProvider = context.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        });
    }

    /// <summary>The catalog of a client: the <see cref="PriceCatalog"/> service or the shipped one, extended by <c>AI:Pricing</c>.</summary>
    internal static PriceCatalog Catalog(ChatPipelineContext context) =>
        BaseCatalog(context).WithConfiguration(context.Configuration.GetSection("Pricing"));

    private static PriceCatalog BaseCatalog(ChatPipelineContext context) =>
        context.Services.GetService<PriceCatalog>() ?? PriceCatalog.Default;
}

// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// Cost accounting (<see cref="CostAccountingChatClientBuilderExtensions.UseCostAccounting"/>), on by default
/// (<c>Pipeline:CostAccounting:Enabled = false</c> turns it off). Prices come from the shipped catalog (or a
/// <see cref="PriceCatalog"/> service) extended by <c>AI:Pricing</c>; costs are recorded in the <see cref="ICostLedger"/>
/// service, else in a ledger shared by every configured client. Outside function invocation: it counts a whole tool loop.
/// </summary>
internal sealed class CostAccountingStage : BuilderChatPipelineStage
{
    private readonly Lazy<InMemoryCostLedger> _fallbackLedger = new(() => new InMemoryCostLedger());

    public override string Name => "CostAccounting";

    public override int Order => ChatPipelineOrder.CostAccounting;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override IEnumerable<string> Validate(ChatPipelineContext context) =>
        BaseCatalog(context).Validate(context.Configuration.GetSection("Pricing"));

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context)
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

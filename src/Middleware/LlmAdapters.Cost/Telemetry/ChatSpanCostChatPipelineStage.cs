// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// The cost of each model call on its <c>chat</c> span (<c>gen_ai.usage.cost.amount</c>, <c>.currency</c>, <c>.source</c>:
/// experimental, the shape of OpenTelemetry GenAI proposal PR #443), on by default (<c>Pipeline:SpanCost:Enabled = false</c>
/// turns it off). Just inside the OpenTelemetry stage, so that each call of a tool loop has its own; prices as cost accounting does.
/// </summary>
public sealed class ChatSpanCostChatPipelineStage : ChatPipelineStage<PriceCatalog>
{
    /// <inheritdoc/>
    public override string Name => "SpanCost";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.OpenTelemetry + 10;

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) => true;

    /// <inheritdoc/>
    public override PriceCatalog Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CostAccountingChatPipelineStage.ReadCatalog(context, errors);
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, PriceCatalog options) =>
        new ChatSpanCostChatClient(innerClient, options);
}

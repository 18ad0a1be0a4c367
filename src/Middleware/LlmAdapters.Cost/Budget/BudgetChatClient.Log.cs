// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters.Cost;

/// <content>Log messages of budgets.</content>
public sealed partial class BudgetChatClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, EventName = "BudgetExceeded", Level = LogLevel.Warning,
            Message = "Budget {LimitName} refused a call of up to {Requested} USD for {ScopeKey}: {Spent} USD spent, {Reserved} USD reserved of {Limit} USD.")]
        public static partial void BudgetExceeded(ILogger logger, string limitName, decimal requested, string scopeKey, decimal spent, decimal reserved, decimal limit);

        [LoggerMessage(EventId = 5102, EventName = "BudgetUnpricedModel", Level = LogLevel.Warning,
            Message = "No price for model '{ModelId}': budgets cannot count its calls. Add it under AI:Pricing:Models (docs/cost.md). Logged once per model.")]
        public static partial void UnpricedModel(ILogger logger, string modelId);
    }
}

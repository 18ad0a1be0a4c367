// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters.Cost;

/// <content>Log messages of cost accounting.</content>
public sealed partial class CostAccountingChatClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, EventName = "UnpricedModel", Level = LogLevel.Warning,
            Message = "No price for model '{ModelId}' (provider {Provider}): its cost is unknown. Add it under AI:Pricing:Models (docs/cost.md). Logged once per model.")]
        public static partial void UnpricedModel(ILogger logger, string modelId, string? provider);

        [LoggerMessage(EventId = 5002, EventName = "NoUsage", Level = LogLevel.Debug,
            Message = "The response of model '{ModelId}' carries no usage: its cost is unknown.")]
        public static partial void NoUsage(ILogger logger, string? modelId);
    }
}

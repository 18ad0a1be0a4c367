// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>Orders the targets of one call by a <see cref="ChatRoutingStrategy"/>; ties keep the configured order.</summary>
internal static class RoutingOrder
{
    public static FallbackTarget[] Order(
        FallbackTarget[] targets, FallbackChatClientOptions options, IEnumerable<ChatMessage> messages, ChatOptions? chatOptions)
    {
        switch (options.Strategy)
        {
            case ChatRoutingStrategy.Weighted:
                return Weighted(targets, options);
            case ChatRoutingStrategy.LeastBusy:
                return Sorted(targets, t => t.InFlight);
            case ChatRoutingStrategy.LowestLatency:
                // A target not measured yet goes first, so that every target gets measured.
                return Sorted(targets, t => t.Latency?.TotalMilliseconds ?? -1);
            case ChatRoutingStrategy.LowestCost:
                var input = (options.TokenEstimator ?? ApproximateTokenEstimator.Instance).EstimateInputTokens(messages, chatOptions);
                long output = chatOptions?.MaxOutputTokens ?? FallbackChatClientOptions.DefaultEstimatedOutputTokens;
                var primary = targets.Length > 0 ? targets[0] : null;
                return Sorted(targets, t =>
                {
                    var model = ReferenceEquals(t, primary) && chatOptions?.ModelId is { Length: > 0 } asked ? asked : t.ModelId;
                    return options.PriceLookup?.EstimateCost(model, input, output) is { } cost ? (double)cost : double.MaxValue;
                });
            default:
                return targets;
        }
    }

    private static FallbackTarget[] Sorted(FallbackTarget[] targets, Func<FallbackTarget, double> key)
    {
        var keys = new double[targets.Length];
        var indexes = new int[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            keys[i] = key(targets[i]);
            indexes[i] = i;
        }

        // A stable sort: equal keys keep the configured order.
        Array.Sort(indexes, (x, y) => keys[x] != keys[y] ? keys[x].CompareTo(keys[y]) : x.CompareTo(y));
        return [.. indexes.Select(i => targets[i])];
    }

    /// <summary>Draws the targets one by one in proportion to their weights; those of weight 0 follow in the configured order.</summary>
    private static FallbackTarget[] Weighted(FallbackTarget[] targets, FallbackChatClientOptions options)
    {
        var remaining = targets.Select(t => (Target: t, Weight: options.Weights.TryGetValue(t.Name, out var w) ? w : 1d)).ToList();
        var order = new List<FallbackTarget>(targets.Length);
        while (remaining.Sum(r => r.Weight) is var total && total > 0)
        {
            double draw;
            lock (options.Random)
            {
                draw = options.Random.NextDouble() * total;
            }

            var index = 0;
            for (; index < remaining.Count - 1; index++)
            {
                draw -= remaining[index].Weight;
                if (draw < 0 && remaining[index].Weight > 0)
                {
                    break;
                }
            }

            while (remaining[index].Weight <= 0)
            {
                index--;
            }

            order.Add(remaining[index].Target);
            remaining.RemoveAt(index);
        }

        order.AddRange(remaining.Select(r => r.Target));
        return [.. order];
    }
}

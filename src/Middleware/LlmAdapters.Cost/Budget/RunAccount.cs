// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// One run's cost and run budget: before each model call of the loop it checks what is left of the <see cref="RunBudget"/>
/// (docs/cost.md, "Runs"); after each call it prices what the call used; at the end it attaches the
/// <see cref="ChatRunTotals"/> to the final response, or to the exception the run ends with.
/// </summary>
internal sealed class RunAccount(RunAccounting accounting, RunBudget? budget) : IToolRunAccount
{
    private ChatCost? _cost;
    private int _unpriced;
    private string? _modelId;

    private decimal Spent => _cost?.Total ?? 0m;

    public ToolRunWrapUp? BeforeModelCall(IEnumerable<ChatMessage> messages, ChatOptions? options, ToolRunProgress progress)
    {
        if (budget is null)
        {
            return null;
        }

        var modelCalls = progress.ModelCalls;
        if (progress.WrappedUp)
        {
            // The wrap-up call was the last one the run could make.
            throw Exceeded(modelCalls, budget.Name, "the wrap-up call was the run's last", 0, 0, 0);
        }

        var modelId = options?.ModelId ?? accounting.DefaultModelId;
        var price = accounting.Catalog.GetPrice(modelId);
        var calls = budget.MaxModelCalls;
        if (calls is { } maxCalls && modelCalls >= maxCalls)
        {
            throw Exceeded(modelCalls, budget.Name + ":ModelCalls", $"the run made {modelCalls} model call{(modelCalls == 1 ? "" : "s")}, its limit", maxCalls, modelCalls, 1);
        }

        var elapsed = progress.Elapsed;
        var totalTokens = progress.TotalTokens;
        var input = budget.MaxTokens is not null || budget.MaxCost is not null ? accounting.TokenEstimator.EstimateInputTokens(messages, options) : 0;
        var output = (long)(options?.MaxOutputTokens ?? price?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens);
        string? reached = null;
        decimal limit = 0, used = 0, needed = 0;
        if (calls is { } lastCalls && budget.WrapUp && modelCalls + 1 == lastCalls)
        {
            reached = ":ModelCalls";
            (limit, used, needed) = (lastCalls, modelCalls, 1);
        }
        else if (budget.MaxDuration is { } maxDuration && elapsed >= maxDuration)
        {
            reached = ":Duration";
            (limit, used, needed) = ((decimal)maxDuration.TotalSeconds, (decimal)elapsed.TotalSeconds, 0);
        }
        else if (budget.MaxTokens is { } maxTokens && totalTokens + input + output > maxTokens)
        {
            reached = ":Tokens";
            (limit, used, needed) = (maxTokens, totalTokens, input + output);
        }
        else if (budget.MaxCost is { } maxCost && price is not null && Spent + price.CalculateWorstCase(input, output) > maxCost)
        {
            reached = ":Cost";
            (limit, used, needed) = (maxCost, Spent, price.CalculateWorstCase(input, output));
        }

        if (reached is null)
        {
            return null;
        }

        if (!budget.WrapUp)
        {
            throw Exceeded(modelCalls, budget.Name + reached, Describe(reached, limit, used, needed), limit, used, needed);
        }

        // One last call without tools, its output capped by what remains.
        long wrapOutput = budget.WrapUpMaxOutputTokens;
        if (budget.MaxTokens is { } tokens)
        {
            wrapOutput = Math.Min(wrapOutput, tokens - totalTokens - input);
        }

        if (budget.MaxCost is { } cost && price is not null)
        {
            var perToken = price.CalculateWorstCase(input, 1_000_000) - price.CalculateWorstCase(input, 0);
            var left = cost - Spent - price.CalculateWorstCase(input, 0);
            wrapOutput = perToken <= 0 ? wrapOutput : Math.Min(wrapOutput, (long)Math.Floor(left * 1_000_000 / perToken));
        }

        if (wrapOutput < 1)
        {
            throw Exceeded(modelCalls, budget.Name + reached, Describe(reached, limit, used, needed) + " and no room is left for a wrap-up call", limit, used, needed);
        }

        return new ToolRunWrapUp(budget.WrapUpInstruction, (int)Math.Min(wrapOutput, int.MaxValue));
    }

    public void AfterModelCall(string? responseModelId, string? requestedModelId, UsageDetails? usage, Activity? orchestrateSpan)
    {
        // Priced by the model that answered when the catalog knows it, else by the one asked for.
        _modelId = responseModelId ?? requestedModelId ?? accounting.DefaultModelId ?? _modelId;
        var catalog = accounting.Catalog;
        var cost = usage is null ? null : catalog.Calculate(responseModelId, usage) ?? catalog.Calculate(requestedModelId ?? accounting.DefaultModelId, usage);
        if (cost is null)
        {
            _unpriced++;
        }
        else
        {
            _cost = _cost is null ? cost : _cost.Add(cost);
        }

        if (orchestrateSpan is not null && _cost is { } total)
        {
            orchestrateSpan.SetTag(CostTelemetryNames.CostAmountAttribute, (double)total.Total);
            orchestrateSpan.SetTag(CostTelemetryNames.CostCurrencyAttribute, ChatCost.UsdCurrency);
            orchestrateSpan.SetTag(CostTelemetryNames.CostSourceAttribute, CostTelemetryNames.CostSourceCatalog);
        }
    }

    public void Complete(ToolRunProgress progress, AdditionalPropertiesDictionary properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        properties[ChatRunTotalsExtensions.RunTotalsKey] = Totals(progress);
    }

    public void Fail(ToolRunProgress progress, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        exception.Data[ChatRunTotalsExtensions.RunTotalsKey] = Totals(progress);
    }

    private ChatRunTotals Totals(ToolRunProgress progress) => new()
    {
        ModelCalls = progress.ModelCalls,
        Usage = progress.Usage,
        Cost = _cost,
        UnpricedCalls = _unpriced,
        Duration = progress.Elapsed,
        WrappedUp = progress.WrappedUp,
        ModelId = _modelId,
    };

    private static string Describe(string reached, decimal limit, decimal used, decimal needed) => reached switch
    {
        ":ModelCalls" => string.Create(CultureInfo.InvariantCulture, $"the run made {used} of its {limit} model calls"),
        ":Duration" => string.Create(CultureInfo.InvariantCulture, $"the run has taken {used:0.###} s of its {limit:0.###} s"),
        ":Tokens" => string.Create(CultureInfo.InvariantCulture, $"the run used {used} of its {limit} tokens and the next call needs up to {needed}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"the run spent {ChatCost.FormatUsd(used)} of its {ChatCost.FormatUsd(limit)} and the next call needs up to {ChatCost.FormatUsd(needed)}"),
    };

    private static BudgetExceededException Exceeded(int modelCalls, string limitName, string why, decimal limit, decimal used, decimal needed) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Budget exceeded: the run limit '{limitName}' stops this call's tool loop after {modelCalls} model call{(modelCalls == 1 ? "" : "s")}: {why}. No further request was sent."),
            limitName, limit, used, needed);
}

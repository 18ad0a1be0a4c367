// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using LlmAdapters.Cost;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// One run: one call of the application into the tool loop, with every model call the loop makes. The tool loop client
/// starts it (outside M.E.AI's function invocation) and makes it current for the calls below; the step client (inside)
/// checks before each model call what the run may still do, and adds what the call used.
/// </summary>
internal sealed class ToolRun
{
    private static readonly AsyncLocal<ToolRun?> s_current = new();

    private readonly ToolLoopSettings _settings;
    private readonly long _started;
    private Activity? _orchestrate;
    private bool _orchestrateLooked;
    private long _inputTokens;
    private long _outputTokens;
    private long _totalTokens;
    private UsageDetails? _usage;
    private ChatCost? _cost;
    private int _unpriced;
    private int _consecutiveErrors;

    private ToolRun(ToolLoopSettings settings, int maximumIterations, int maximumErrors, RunBudget? budget)
    {
        _settings = settings;
        MaximumIterations = maximumIterations;
        MaximumErrors = maximumErrors;
        Budget = budget;
        _started = settings.TimeProvider.GetTimestamp();
    }

    /// <summary>Gets or sets the run of the calls below, if any.</summary>
    public static ToolRun? Current
    {
        get => s_current.Value;
        set
        {
            // Only a change writes: setting an AsyncLocal copies the execution context.
            if (!ReferenceEquals(s_current.Value, value))
            {
                s_current.Value = value;
            }
        }
    }

    public int MaximumIterations { get; }

    public int MaximumErrors { get; }

    public RunBudget? Budget { get; }

    /// <summary>Gets the model calls started so far.</summary>
    public int ModelCalls { get; private set; }

    public bool WrappedUp { get; private set; }

    /// <summary>
    /// Starts a run for a call, or gives <see langword="null"/> for a call that offers no tools, has no run budget and
    /// overrides no limit: such a call is M.E.AI's loop with the configured limits, at no cost of ours.
    /// </summary>
    /// <exception cref="ArgumentException">A per-call override is invalid.</exception>
    public static ToolRun? Start(ChatOptions? options, ToolLoopSettings settings)
    {
        var iterations = AtMost(options.GetMaxToolIterations(), settings.MaximumIterations, ChatOptionsToolLoopExtensions.MaxIterationsKey, "MaximumIterationsPerRequest");
        var errors = AtMost(options.GetMaxConsecutiveToolErrors(), settings.MaximumConsecutiveErrors, ChatOptionsToolLoopExtensions.MaxConsecutiveErrorsKey, "MaximumConsecutiveErrors");
        var budget = options.GetRunBudget();
        if (options?.Tools is not { Count: > 0 } && iterations is null && errors is null && budget is null)
        {
            return null;
        }

        return new ToolRun(settings, iterations ?? settings.MaximumIterations, errors ?? settings.MaximumConsecutiveErrors, budget);
    }

    // A call may lower the configured limits, never raise them: M.E.AI's loop holds the configured ones.
    private static int? AtMost(int? value, int configured, string key, string setting) =>
        value is { } v && v > configured
            ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The per-call override '{key}' is {v}, above the configured {setting} of {configured}: a call may only lower it (raise it in AI:Pipeline:FunctionInvocation:{setting})."), nameof(value))
            : value;

    /// <summary>Decides how the next model call is made: as asked, as the last call of the loop (tools removed), or not at all.</summary>
    /// <exception cref="ToolLoopException">The model or a tool failed more times in a row than allowed.</exception>
    /// <exception cref="BudgetExceededException">The run budget has no room for another call.</exception>
    public ToolStep BeforeCall(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        LookForOrchestrateSpan();
        if (ModelCalls > 0 && LastToolError(messages) is { } error)
        {
            if (++_consecutiveErrors > MaximumErrors)
            {
                throw new ToolLoopException(error.Kind, error.ToolName, ModelCalls, error.InnerException);
            }
        }
        else
        {
            _consecutiveErrors = 0;
        }

        if (WrappedUp)
        {
            // The wrap-up call was the last one the run could make.
            throw Exceeded(Budget!.Name, "the wrap-up call was the run's last", 0, 0, 0);
        }

        var step = new ToolStep(messages, options, Last: ModelCalls >= MaximumIterations);
        if (Budget is { } budget)
        {
            step = CheckBudget(budget, step);
        }

        if (step.Last && !step.WrapUp)
        {
            step = step with { Options = WithoutFunctionTools(step.Options) };
        }

        ModelCalls++;
        return step;
    }

    /// <summary>Adds what one model call used.</summary>
    public void AfterCall(string? responseModelId, string? requestModelId, UsageDetails? usage)
    {
        if (usage is not null)
        {
            _inputTokens += usage.InputTokenCount ?? 0;
            _outputTokens += usage.OutputTokenCount ?? 0;
            _totalTokens += usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0));
            if (_usage is null)
            {
                _usage = new UsageDetails();
            }

            _usage.Add(usage);
        }

        // Priced by the model that answered when the catalog knows it, else by the one asked for.
        var cost = usage is null ? null : _settings.Catalog.Calculate(responseModelId, usage) ?? _settings.Catalog.Calculate(requestModelId ?? _settings.DefaultModelId, usage);
        if (cost is null)
        {
            _unpriced++;
        }
        else
        {
            _cost = _cost is null ? cost : _cost.Add(cost);
        }

        TagOrchestrateSpan();
    }

    public ChatRunTotals Totals() => new()
    {
        ModelCalls = ModelCalls,
        Usage = _usage,
        Cost = _cost,
        UnpricedCalls = _unpriced,
        Duration = _settings.TimeProvider.GetElapsedTime(_started),
        WrappedUp = WrappedUp,
    };

    /// <summary>Marks the function calls of a last call's answer as informational, so that the loop ends with them unrun.</summary>
    public static void EndLoop(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionCallContent call)
            {
                call.InformationalOnly = true;
            }
        }
    }

    private static ChatOptions? WithoutFunctionTools(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return options;
        }

        var remaining = tools.Where(t => t is not AIFunctionDeclaration).ToList();
        var copy = options.Clone();
        copy.Tools = remaining.Count == 0 ? null : remaining;
        if (remaining.Count == 0)
        {
            copy.ToolMode = null;
        }

        return copy;
    }

    /// <summary>The failure the loop just answered the model with, when the last tool results hold one.</summary>
    private static ToolLoopException? LastToolError(IEnumerable<ChatMessage> messages)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var message = list[i];
            if (message.Role != ChatRole.Tool)
            {
                return null;
            }

            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent { Exception: { } exception })
                {
                    return exception as ToolLoopException ?? new ToolLoopException(ToolLoopErrorKind.ToolFailed, "", 0, exception);
                }
            }
        }

        return null;
    }

    private ToolStep CheckBudget(RunBudget budget, ToolStep step)
    {
        var options = step.Options;
        var modelId = options?.ModelId ?? _settings.DefaultModelId;
        var price = _settings.Catalog.GetPrice(modelId);
        var calls = budget.MaxModelCalls;
        if (calls is { } maxCalls && ModelCalls >= maxCalls)
        {
            throw Exceeded(budget.Name + ":ModelCalls", $"the run made {ModelCalls} model call{(ModelCalls == 1 ? "" : "s")}, its limit", maxCalls, ModelCalls, 1);
        }

        var elapsed = _settings.TimeProvider.GetElapsedTime(_started);
        var input = budget.MaxTokens is not null || budget.MaxCost is not null ? _settings.TokenEstimator.EstimateInputTokens(step.Messages, options) : 0;
        var output = (long)(options?.MaxOutputTokens ?? price?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens);
        string? reached = null;
        decimal limit = 0, used = 0, needed = 0;
        if (calls is { } lastCalls && budget.WrapUp && ModelCalls + 1 == lastCalls)
        {
            reached = ":ModelCalls";
            (limit, used, needed) = (lastCalls, ModelCalls, 1);
        }
        else if (budget.MaxDuration is { } maxDuration && elapsed >= maxDuration)
        {
            reached = ":Duration";
            (limit, used, needed) = ((decimal)maxDuration.TotalSeconds, (decimal)elapsed.TotalSeconds, 0);
        }
        else if (budget.MaxTokens is { } maxTokens && _totalTokens + input + output > maxTokens)
        {
            reached = ":Tokens";
            (limit, used, needed) = (maxTokens, _totalTokens, input + output);
        }
        else if (budget.MaxCost is { } maxCost && price is not null && Spent + price.CalculateWorstCase(input, output) > maxCost)
        {
            reached = ":Cost";
            (limit, used, needed) = (maxCost, Spent, price.CalculateWorstCase(input, output));
        }

        if (reached is null)
        {
            return step;
        }

        if (!budget.WrapUp)
        {
            throw Exceeded(budget.Name + reached, Describe(reached, limit, used, needed), limit, used, needed);
        }

        // One last call without tools, its output capped by what remains.
        long wrapOutput = budget.WrapUpMaxOutputTokens;
        if (budget.MaxTokens is { } tokens)
        {
            wrapOutput = Math.Min(wrapOutput, tokens - _totalTokens - input);
        }

        if (budget.MaxCost is { } cost && price is not null)
        {
            var perToken = price.CalculateWorstCase(input, 1_000_000) - price.CalculateWorstCase(input, 0);
            var left = cost - Spent - price.CalculateWorstCase(input, 0);
            wrapOutput = perToken <= 0 ? wrapOutput : Math.Min(wrapOutput, (long)Math.Floor(left * 1_000_000 / perToken));
        }

        if (wrapOutput < 1)
        {
            throw Exceeded(budget.Name + reached, Describe(reached, limit, used, needed) + " and no room is left for a wrap-up call", limit, used, needed);
        }

        var wrapOptions = WithoutFunctionTools(options)?.Clone() ?? new ChatOptions();
        wrapOptions.Tools = wrapOptions.Tools is { Count: > 0 } ? wrapOptions.Tools : null;
        wrapOptions.MaxOutputTokens = (int)Math.Min(wrapOutput, int.MaxValue);
        List<ChatMessage> wrapMessages = [.. step.Messages, new ChatMessage(ChatRole.User, budget.WrapUpInstruction)];
        WrappedUp = true;
        return new ToolStep(wrapMessages, wrapOptions, Last: true, WrapUp: true);
    }

    private decimal Spent => _cost?.Total ?? 0m;

    private static string Describe(string reached, decimal limit, decimal used, decimal needed) => reached switch
    {
        ":ModelCalls" => string.Create(CultureInfo.InvariantCulture, $"the run made {used} of its {limit} model calls"),
        ":Duration" => string.Create(CultureInfo.InvariantCulture, $"the run has taken {used:0.###} s of its {limit:0.###} s"),
        ":Tokens" => string.Create(CultureInfo.InvariantCulture, $"the run used {used} of its {limit} tokens and the next call needs up to {needed}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"the run spent {ChatCost.FormatUsd(used)} of its {ChatCost.FormatUsd(limit)} and the next call needs up to {ChatCost.FormatUsd(needed)}"),
    };

    private BudgetExceededException Exceeded(string limitName, string why, decimal limit, decimal used, decimal needed) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Budget exceeded: the run limit '{limitName}' stops this call's tool loop after {ModelCalls} model call{(ModelCalls == 1 ? "" : "s")}: {why}. No further request was sent."),
            limitName, limit, used, needed);

    private void LookForOrchestrateSpan()
    {
        if (!_orchestrateLooked)
        {
            _orchestrateLooked = true;
            _orchestrate = Activity.Current is { OperationName: "orchestrate_tools" } activity ? activity : null;
        }
    }

    private void TagOrchestrateSpan()
    {
        if (_orchestrate is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        activity.SetTag(HostingTelemetryNames.RunModelCallsAttribute, ModelCalls);
        if (_cost is { } cost)
        {
            activity.SetTag(CostTelemetryNames.CostAmountAttribute, (double)cost.Total);
            activity.SetTag(CostTelemetryNames.CostCurrencyAttribute, ChatCost.UsdCurrency);
            activity.SetTag(CostTelemetryNames.CostSourceAttribute, CostTelemetryNames.CostSourceCatalog);
        }

        if (WrappedUp)
        {
            activity.SetTag(HostingTelemetryNames.RunWrappedUpAttribute, true);
        }
    }
}

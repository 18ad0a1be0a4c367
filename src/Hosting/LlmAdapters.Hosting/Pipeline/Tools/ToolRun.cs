// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// One run: one call of the application into the tool loop, with every model call the loop makes. The tool loop client
/// starts it (outside M.E.AI's function invocation) and makes it current for the calls below; the step client (inside)
/// checks before each model call what the run may still do, and adds what the call used. What a run costs and its run
/// budget are the business of the run's <see cref="IToolRunAccount"/> (LlmAdapters.Cost registers the accounting).
/// </summary>
internal sealed class ToolRun
{
    private static readonly AsyncLocal<ToolRun?> s_current = new();

    private readonly ToolLoopSettings _settings;
    private readonly long _started;
    private Activity? _orchestrate;
    private bool _orchestrateLooked;
    private long _totalTokens;
    private UsageDetails? _usage;
    private int _consecutiveErrors;

    private ToolRun(ToolLoopSettings settings, int maximumIterations, int maximumErrors, IToolRunAccount? account)
    {
        _settings = settings;
        MaximumIterations = maximumIterations;
        MaximumErrors = maximumErrors;
        Account = account;
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

    /// <summary>Gets the run's account (its cost and run budget), if a package brings one.</summary>
    public IToolRunAccount? Account { get; }

    /// <summary>Gets the model calls started so far.</summary>
    public int ModelCalls { get; private set; }

    public bool WrappedUp { get; private set; }

    /// <summary>
    /// Starts a run for a call, or gives <see langword="null"/> for a call that offers no tools, overrides no limit and
    /// needs no account (no run budget): such a call is M.E.AI's loop with the configured limits, at no cost of ours.
    /// </summary>
    /// <exception cref="ArgumentException">A per-call override is invalid.</exception>
    public static ToolRun? Start(ChatOptions? options, ToolLoopSettings settings)
    {
        var iterations = AtMost(options.GetMaxToolIterations(), settings.MaximumIterations, ChatOptionsToolLoopExtensions.MaxIterationsKey, "MaximumIterationsPerRequest");
        var errors = AtMost(options.GetMaxConsecutiveToolErrors(), settings.MaximumConsecutiveErrors, ChatOptionsToolLoopExtensions.MaxConsecutiveErrorsKey, "MaximumConsecutiveErrors");
        var isRun = options?.Tools is { Count: > 0 } || iterations is not null || errors is not null;
        var account = settings.Accounting?.Start(options, isRun);
        if (!isRun && account is null)
        {
            return null;
        }

        return new ToolRun(settings, iterations ?? settings.MaximumIterations, errors ?? settings.MaximumConsecutiveErrors, account);
    }

    // A call may lower the configured limits, never raise them: M.E.AI's loop holds the configured ones.
    private static int? AtMost(int? value, int configured, string key, string setting) =>
        value is { } v && v > configured
            ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The per-call override '{key}' is {v}, above the configured {setting} of {configured}: a call may only lower it (raise it in AI:Pipeline:FunctionInvocation:{setting})."), nameof(value))
            : value;

    /// <summary>Decides how the next model call is made: as asked, as the last call of the loop (tools removed), or not at all.</summary>
    /// <exception cref="ToolLoopException">The model or a tool failed more times in a row than allowed.</exception>
    /// <exception cref="InvalidOperationException">The run's account allows no further call (a run budget: <c>BudgetExceededException</c>).</exception>
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

        var step = new ToolStep(messages, options, Last: ModelCalls >= MaximumIterations);
        if (Account?.BeforeModelCall(messages, options, Progress()) is { } wrapUp)
        {
            // One last call without tools, its output capped by what remains of the run's budget.
            var wrapOptions = WithoutFunctionTools(options)?.Clone() ?? new ChatOptions();
            wrapOptions.Tools = wrapOptions.Tools is { Count: > 0 } ? wrapOptions.Tools : null;
            wrapOptions.MaxOutputTokens = wrapUp.MaxOutputTokens;
            List<ChatMessage> wrapMessages = [.. messages, new ChatMessage(ChatRole.User, wrapUp.Instruction)];
            WrappedUp = true;
            step = new ToolStep(wrapMessages, wrapOptions, Last: true, WrapUp: true);
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
            _totalTokens += usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0));
            if (_usage is null)
            {
                _usage = new UsageDetails();
            }

            _usage.Add(usage);
        }

        Account?.AfterModelCall(responseModelId, requestModelId, usage, _orchestrate is { IsAllDataRequested: true } span ? span : null);
        TagOrchestrateSpan();
    }

    /// <summary>Gets what the run did so far.</summary>
    public ToolRunProgress Progress() =>
        new(ModelCalls, _usage, _totalTokens, _settings.TimeProvider.GetElapsedTime(_started), WrappedUp);

    /// <summary>Ends a run that answered: its account attaches what it keeps (the run's totals) to the final response or update.</summary>
    public void Complete(AdditionalPropertiesDictionary properties) => Account?.Complete(Progress(), properties);

    /// <summary>Ends a run that failed: its account attaches what the calls already made consumed to the exception.</summary>
    public void Fail(Exception exception) => Account?.Fail(Progress(), exception);

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

        if (WrappedUp)
        {
            activity.SetTag(HostingTelemetryNames.RunWrappedUpAttribute, true);
        }
    }
}

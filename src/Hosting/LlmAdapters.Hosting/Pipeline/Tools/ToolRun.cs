// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// One run: one call of the application into the tool loop, with every model call the loop makes. The tool loop client
/// starts it (outside M.E.AI's function invocation) and makes it current for the calls below; the step client (inside)
/// checks before each model call what the run may still do, and adds what the call used. What a run costs and its run
/// budget are the business of the run's <see cref="IToolRunAccount"/> (LlmAdapters.Cost registers the accounting).
/// </summary>
/// <remarks>
/// A call that offers no tools, has no run budget and lowers no limit starts no run, so that a plain call allocates
/// nothing for it. If its model calls a tool anyway (one it was never offered), the step client starts an unplanned run
/// from that answer (<see cref="StartUnplanned"/>), with the call already made: the loop's later calls, its failures and
/// its end find the run through the objects M.E.AI hands along (the answer's function calls, the "no tool named"
/// results' exceptions, the exception the loop ends with), so nothing is added to what the caller sees.
/// </remarks>
internal sealed class ToolRun
{
    private static readonly AsyncLocal<ToolRun?> s_current = new();

    // The unplanned runs, by the function calls of their answers and the exceptions of their tool results. Written only
    // when a call that started no run gets function calls back; read without a lock.
    private static readonly ConditionalWeakTable<object, ToolRun> s_unplanned = [];

    private readonly ToolLoopSettings _settings;
    private readonly long _started;
    private Activity? _orchestrate;
    private bool _orchestrateLooked;
    private long _totalTokens;
    private UsageDetails? _usage;
    private int _consecutiveErrors;

    private ToolRun(ToolLoopSettings settings, int maximumIterations, int maximumErrors, IToolRunAccount? account, long? started = null, bool unplanned = false)
    {
        _settings = settings;
        MaximumIterations = maximumIterations;
        MaximumErrors = maximumErrors;
        Account = account;
        _started = started ?? settings.TimeProvider.GetTimestamp();
        IsUnplanned = unplanned;
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

    /// <summary>Gets whether the run was started by its first answer's function calls (<see cref="StartUnplanned"/>) rather than by the call.</summary>
    public bool IsUnplanned { get; }

    /// <summary>Gets whether the run was completed or failed.</summary>
    public bool Ended { get; private set; }

    /// <summary>
    /// Starts a run for a call, or gives <see langword="null"/> for a call that offers no tools, overrides no limit and
    /// needs no account (no run budget): such a call is M.E.AI's loop with the configured limits, at no cost of ours,
    /// until its model calls a tool anyway (<see cref="StartUnplanned"/>).
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

    /// <summary>
    /// Starts the run of a call that started none (<see cref="Start"/> gave <see langword="null"/>) when its answer holds
    /// function calls to run: the loop will answer them (with "no tool named …") and call the model again, so the calls
    /// are a run after all. The answer's call is counted, and the run is found again from its function calls.
    /// </summary>
    /// <returns>The run, or <see langword="null"/> when the answer holds no function call the loop will answer.</returns>
    public static ToolRun? StartUnplanned(ChatResponse response, ChatOptions? options, ToolLoopSettings settings, long? started)
    {
        var messages = response.Messages;
        if (!HasCallToRun(messages))
        {
            return null;
        }

        var run = new ToolRun(settings, settings.MaximumIterations, settings.MaximumConsecutiveErrors, settings.Accounting?.Start(options, isRun: true), started, unplanned: true);
        run.LookForOrchestrateSpan();
        run.ModelCalls = 1;
        run.AfterCall(response.ModelId, options?.ModelId, response.Usage);
        run.TieCalls(messages);
        return run;
    }

    /// <summary>Gets the unplanned run whose answer holds a function call, if any.</summary>
    public static ToolRun? UnplannedOf(FunctionCallContent call) => s_unplanned.TryGetValue(call, out var run) ? run : null;

    /// <summary>Gets the unplanned run an exception belongs to (a tool result's, or the one the loop ended with), if any.</summary>
    public static ToolRun? UnplannedOf(Exception exception)
    {
        if (s_unplanned.TryGetValue(exception, out var run))
        {
            return run;
        }

        if (exception is AggregateException many)
        {
            foreach (var inner in many.InnerExceptions)
            {
                if (s_unplanned.TryGetValue(inner, out run))
                {
                    return run;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Gets the unplanned run a model call continues: the loop's call after a round of tool results, whose last message is
    /// the tool results the loop answered the run's function calls with. A plain call ends with another role: one check.
    /// </summary>
    public static ToolRun? ContinuedUnplanned(IEnumerable<ChatMessage> messages)
    {
        if (messages is not IList<ChatMessage> { Count: > 0 } list || list[list.Count - 1] is not { } last || last.Role != ChatRole.Tool)
        {
            return null;
        }

        var contents = last.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            // An ended run is not continued: a caller may send a finished run's messages back as history.
            if (contents[i] is FunctionResultContent { Exception: { } exception } && s_unplanned.TryGetValue(exception, out var run) && !run.Ended)
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>Ties the function calls of one of this unplanned run's answers to it, so that their results are tied too.</summary>
    /// <returns>Whether the answer holds a function call the loop will answer (else the call was the run's last).</returns>
    public bool TieCalls(IList<ChatMessage> messages)
    {
        Debug.Assert(IsUnplanned, "Only an unplanned run is found through its objects.");
        var any = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is FunctionCallContent { InformationalOnly: false } call && !HandledByServer(messages, call.CallId))
                {
                    s_unplanned.AddOrUpdate(call, this);
                    any = true;
                }
            }
        }

        return any;
    }

    /// <summary>Ties an exception to this unplanned run (a tool result's), so that the next call, or the loop's end, finds it.</summary>
    public void Tie(Exception exception)
    {
        Debug.Assert(IsUnplanned, "Only an unplanned run is found through its objects.");
        s_unplanned.AddOrUpdate(exception, this);
    }

    // Whether an answer holds a function call the loop will answer. By index: a plain call's answer is looked at here.
    private static bool HasCallToRun(IList<ChatMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is FunctionCallContent { InformationalOnly: false } call && !HandledByServer(messages, call.CallId))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // A function call the response also answers (a server-side tool) is not run by the loop.
    private static bool HandledByServer(IList<ChatMessage> messages, string callId)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is FunctionResultContent result && result.CallId == callId)
                {
                    return true;
                }
            }
        }

        return false;
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
    public void Complete(AdditionalPropertiesDictionary properties)
    {
        Ended = true;
        Account?.Complete(Progress(), properties);
    }

    /// <summary>Ends a run that failed: its account attaches what the calls already made consumed to the exception.</summary>
    public void Fail(Exception exception)
    {
        Ended = true;
        Account?.Fail(Progress(), exception);
    }

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

// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's <see cref="FunctionInvokingChatClient"/> as the FunctionInvocation stage configures it, so that a tool loop
/// cannot run away: a call whose arguments did not parse, or that names a tool the call did not offer, is never run and
/// counts as a failure (the model is told what was wrong); more failed rounds in a row than
/// <see cref="FunctionInvokingChatClient.MaximumConsecutiveErrorsPerRequest"/> end the run with one
/// <see cref="ToolLoopException"/> (a tool's own exception is its inner exception, never thrown raw). Each run also gets
/// its <see cref="ToolRun"/>: per-call limits, the run budget and the run's totals on the final response.
/// </summary>
/// <remarks>
/// It is a <see cref="FunctionInvokingChatClient"/>, so agent frameworks that look for one with
/// <c>GetService&lt;FunctionInvokingChatClient&gt;()</c> (Microsoft Agent Framework) use it instead of adding their own.
/// It changes only what M.E.AI lets a subclass change (<see cref="InvokeFunctionAsync"/>, <see cref="CreateResponseMessages"/>)
/// and wraps the loop; the loop itself is M.E.AI's.
/// </remarks>
internal sealed class ToolLoopChatClient : FunctionInvokingChatClient
{
    private readonly ToolLoopSettings _settings;

    public ToolLoopChatClient(IChatClient innerClient, ToolLoopSettings settings, ILoggerFactory? loggerFactory, IServiceProvider? services)
        : base(new ToolRunStepChatClient(innerClient, settings), loggerFactory, services)
    {
        _settings = settings;
        MaximumIterationsPerRequest = settings.MaximumIterations;
        MaximumConsecutiveErrorsPerRequest = settings.MaximumConsecutiveErrors;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = ToolRun.Start(options, _settings);
        if (run is null)
        {
            // No tools, no budget, no override: M.E.AI's loop with the configured limits, and nothing allocated here when it succeeds.
            ToolRun.Current = null;
            var task = base.GetResponseAsync(messages, options, cancellationToken);
            return task.IsCompletedSuccessfully ? task : AwaitAsync(task, null);
        }

        return RunAsync(run, messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        RunStreamingAsync(ToolRun.Start(options, _settings), messages, options, cancellationToken);

    protected override async ValueTask<object?> InvokeFunctionAsync(FunctionInvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var iteration = context.Iteration + 1;
        if (context.CallContent.Exception is not null)
        {
            // The arguments did not parse: running the tool with what is left of them would only fail in the tool's binder.
            throw new ToolLoopException(ToolLoopErrorKind.InvalidArguments, context.CallContent.Name, iteration);
        }

        try
        {
            return await base.InvokeFunctionAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ToolLoopException(ToolLoopErrorKind.ToolFailed, context.CallContent.Name, iteration, exception);
        }
    }

    protected override IList<ChatMessage> CreateResponseMessages(ReadOnlySpan<FunctionInvocationResult> results)
    {
        var contents = new List<AIContent>(results.Length);
        var plain = new List<FunctionInvocationResult>(results.Length);
        foreach (var result in results)
        {
            var call = result.CallContent;
            switch (result.Status)
            {
                case FunctionInvocationStatus.NotFound:
                    // Counted as a failure (M.E.AI sends "not found" without one, so a model could call unknown tools forever).
                    contents.Add(new FunctionResultContent(call.CallId, $"Error: there is no tool named \"{call.Name}\", so nothing was run. Use only the tools you were given, or answer without them.")
                    {
                        Exception = new ToolLoopException(ToolLoopErrorKind.UnknownTool, call.Name, 0),
                    });
                    break;
                case FunctionInvocationStatus.Exception when result.Exception is ToolLoopException { Kind: ToolLoopErrorKind.InvalidArguments } invalid:
                    contents.Add(new FunctionResultContent(call.CallId, $"Error: the arguments of this call to \"{call.Name}\" are not valid JSON, so it was not run. Call it again with a valid JSON object of arguments, or answer without it.")
                    {
                        Exception = invalid,
                    });
                    break;
                case FunctionInvocationStatus.Exception when result.Exception is ToolLoopException { Kind: ToolLoopErrorKind.ToolFailed } failed:
                    var message = IncludeDetailedErrors && failed.InnerException is { } inner ? $"Error: Function failed. Exception: {inner.Message}" : "Error: Function failed.";
                    contents.Add(new FunctionResultContent(call.CallId, message) { Exception = failed });
                    break;
                default:
                    plain.Add(result);
                    contents.Add(null!);
                    break;
            }
        }

        if (plain.Count > 0)
        {
            // Everything else as M.E.AI writes it, in the order of the calls.
            var written = base.CreateResponseMessages(plain.ToArray()).SelectMany(m => m.Contents).ToList();
            var next = 0;
            for (var i = 0; i < contents.Count; i++)
            {
                contents[i] ??= written[next++];
            }
        }

        if (ToolRun.Current is null)
        {
            // A call that started no run whose model called tools anyway: its results' failures lead the loop's next call, and
            // the exception the loop may end with, to the unplanned run the step client started from that answer.
            for (var i = 0; i < results.Length; i++)
            {
                if (ToolRun.UnplannedOf(results[i].CallContent) is { } run && contents[i] is FunctionResultContent { Exception: { } exception })
                {
                    run.Tie(exception);
                }
            }
        }

        return [new ChatMessage(ChatRole.Tool, contents)];
    }

    private async Task<ChatResponse> RunAsync(ToolRun run, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        // Set in this async method: the calls below see the run, the caller's context is left as it was.
        ToolRun.Current = run;
        var response = await AwaitAsync(base.GetResponseAsync(messages, options, cancellationToken), run).ConfigureAwait(false);
        run.Complete(response.AdditionalProperties ??= []);
        return response;
    }

    private async Task<ChatResponse> AwaitAsync(Task<ChatResponse> task, ToolRun? run)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception exception) when (Failed(exception, run) is { } translated)
        {
            throw translated;
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> RunStreamingAsync(
        ToolRun? run, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ToolRun.Current = run;
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                // An iterator resumes in its caller's context: the run is made current again before each step below.
                ToolRun.Current = run;
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (Failed(exception, run) is { } translated)
                {
                    throw translated;
                }

                if (!more)
                {
                    break;
                }

                yield return enumerator.Current;
            }
        }

        if (run?.Account is not null)
        {
            var last = new ChatResponseUpdate { AdditionalProperties = [] };
            run.Complete(last.AdditionalProperties);
            yield return last;
        }
    }

    /// <summary>
    /// Ends a run that failed, cancelled included (its account attaches what the calls already made consumed to the exception the caller sees)
    /// and gives the exception to throw instead, if any: the run's own <see cref="ToolLoopException"/> for one that ended
    /// on failures. Always <see langword="null"/> when nothing is to be replaced, so the original is rethrown as it was.
    /// </summary>
    private ToolLoopException? Failed(Exception exception, ToolRun? run)
    {
        // A call that started no run may have become one (its model called tools anyway): the exception leads to it.
        run ??= ToolRun.UnplannedOf(exception);
        var translated = Translate(exception, run);
        run?.Fail(translated ?? exception);
        return translated;
    }

    /// <summary>
    /// The one exception a run that ended on failures throws: M.E.AI rethrows the last round's failure (an
    /// <see cref="AggregateException"/> when several calls of the round failed), here given the run's model calls.
    /// </summary>
    private ToolLoopException? Translate(Exception exception, ToolRun? run)
    {
        var failure = exception switch
        {
            ToolLoopException single => single,
            AggregateException many => many.InnerExceptions.OfType<ToolLoopException>().FirstOrDefault(),
            _ => null,
        };
        if (failure is null)
        {
            return null;
        }

        // Without a run (a streamed call that offered no tools) every round failed: M.E.AI stops after MaximumConsecutiveErrors + 1 calls.
        var iterations = run?.ModelCalls ?? (MaximumConsecutiveErrorsPerRequest + 1);
        return new ToolLoopException(failure.Kind, failure.ToolName, iterations, failure.InnerException);
    }
}

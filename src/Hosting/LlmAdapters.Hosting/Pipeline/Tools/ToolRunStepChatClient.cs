// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Inside M.E.AI's function invocation, so that it sees every model call of a loop: asks the current <see cref="ToolRun"/>
/// how to make the call (as asked, as the loop's last without tools, the run budget's wrap-up, or not at all) and adds
/// what the call used. A call outside a run passes through; a non-streamed one is looked at when it answers: function
/// calls in the answer start an unplanned run (<see cref="ToolRun.StartUnplanned"/>) that the loop's next calls continue.
/// </summary>
internal sealed class ToolRunStepChatClient(IChatClient innerClient, ToolLoopSettings settings) : DelegatingChatClient(innerClient)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if ((ToolRun.Current ?? ToolRun.ContinuedUnplanned(messages)) is { } run)
        {
            return StepAsync(run, messages, options, cancellationToken);
        }

        // Outside a run: passed through, and its answer looked at. A call that answered synchronously allocates nothing here.
        var task = base.GetResponseAsync(messages, options, cancellationToken);
        if (!task.IsCompleted)
        {
            return ObserveAsync(task, options);
        }

        if (task.IsCompletedSuccessfully)
        {
            _ = ToolRun.StartUnplanned(task.Result, options, settings, started: null);
        }

        return task;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ToolRun.Current is { } run ? StepStreamingAsync(run, messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private async Task<ChatResponse> ObserveAsync(Task<ChatResponse> task, ChatOptions? options)
    {
        var started = settings.TimeProvider.GetTimestamp();
        var response = await task.ConfigureAwait(false);
        _ = ToolRun.StartUnplanned(response, options, settings, started);
        return response;
    }

    private async Task<ChatResponse> StepAsync(ToolRun run, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ChatResponse response;
        ToolStep step;
        try
        {
            step = run.BeforeCall(messages, options);
            response = await base.GetResponseAsync(step.Messages, step.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (run.IsUnplanned && Tie(run, exception))
        {
            throw; // never reached: the filter only ties the exception to the run, for the tool loop client to end it with
        }

        run.AfterCall(response.ModelId, step.Options?.ModelId, response.Usage);
        if (step.Last)
        {
            foreach (var message in response.Messages)
            {
                ToolRun.EndLoop(message.Contents);
            }
        }

        if (run.IsUnplanned && (step.Last || !run.TieCalls(response.Messages)))
        {
            // The unplanned run's last call: M.E.AI returns this response, with every call's messages and usage, as the final one.
            run.Complete(response.AdditionalProperties ??= []);
        }

        return response;
    }

    private static bool Tie(ToolRun run, Exception exception)
    {
        run.Tie(exception);
        return false;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StepStreamingAsync(
        ToolRun run, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var step = run.BeforeCall(messages, options);
        string? modelId = null;
        UsageDetails? usage = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(step.Messages, step.Options, cancellationToken).ConfigureAwait(false))
            {
                modelId = update.ModelId ?? modelId;
                var contents = update.Contents;
                for (var i = 0; i < contents.Count; i++)
                {
                    if (contents[i] is UsageContent { Details: { } details })
                    {
                        (usage ??= new UsageDetails()).Add(details);
                    }
                }

                if (step.Last)
                {
                    ToolRun.EndLoop(contents);
                }

                yield return update;
            }
        }
        finally
        {
            // Counted even when the stream fails or the caller stops: the provider may have billed what it sent.
            run.AfterCall(modelId, step.Options?.ModelId, usage);
        }
    }
}

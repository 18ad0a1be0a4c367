// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Inside M.E.AI's function invocation, so that it sees every model call of a loop: asks the current <see cref="ToolRun"/>
/// how to make the call (as asked, as the loop's last without tools, the run budget's wrap-up, or not at all) and adds
/// what the call used. A call outside a run passes through untouched.
/// </summary>
internal sealed class ToolRunStepChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ToolRun.Current is { } run ? StepAsync(run, messages, options, cancellationToken) : base.GetResponseAsync(messages, options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ToolRun.Current is { } run ? StepStreamingAsync(run, messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private async Task<ChatResponse> StepAsync(ToolRun run, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var step = run.BeforeCall(messages, options);
        var response = await base.GetResponseAsync(step.Messages, step.Options, cancellationToken).ConfigureAwait(false);
        run.AfterCall(response.ModelId, step.Options?.ModelId, response.Usage);
        if (step.Last)
        {
            foreach (var message in response.Messages)
            {
                ToolRun.EndLoop(message.Contents);
            }
        }

        return response;
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

// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// Gives every call without a run budget of its own the configured one (<c>AI:Pipeline:Budget:Run</c>), as the
/// per-call key that function invocation reads; a call that brings <see cref="ChatOptionsRunBudgetExtensions.WithRunBudget"/>
/// keeps its own. The caller's options are cloned, never changed.
/// </summary>
internal sealed class RunBudgetDefaultsChatClient(IChatClient innerClient, RunBudget budget) : DelegatingChatClient(innerClient)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithDefault(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithDefault(options), cancellationToken);

    private ChatOptions WithDefault(ChatOptions? options)
    {
        if (options.GetRunBudget() is not null)
        {
            return options!;
        }

        var copy = options?.Clone() ?? new ChatOptions();
        (copy.AdditionalProperties ??= [])[ChatOptionsRunBudgetExtensions.RunBudgetKey] = budget;
        return copy;
    }
}

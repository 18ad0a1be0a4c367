// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// The two rules every streamed answer follows, whatever its dialect: nothing passes on after the terminal event (the first
/// finish reason: no text after it, no second, contradicting finish; usage still passes), and a stream that ends without a
/// result (no content and no finish reason) is <see cref="ChatProviderErrorKind.Unknown"/>. The native transport applies it
/// to every decoder's updates; an adapter that reads its stream another way (the SDK path) applies it itself.
/// </summary>
/// <remarks>A new instance per stream; not thread-safe.</remarks>
public sealed class TerminalEventRule
{
    private readonly bool _keepAssembledCalls;
    private ChatFinishReason? _finish;

    /// <summary>Initializes a new instance of the <see cref="TerminalEventRule"/> class.</summary>
    /// <param name="keepAssembledCalls">
    /// Whether tool calls may still come after the finish reason, in an update with the same finish reason: an SDK that
    /// assembles streamed calls yields them after the stream, as Microsoft.Extensions.AI.OpenAI does. A native decoder
    /// yields calls with the finish, so the default is <see langword="false"/>.
    /// </param>
    public TerminalEventRule(bool keepAssembledCalls = false) => _keepAssembledCalls = keepAssembledCalls;

    /// <summary>Gets a value indicating whether an update that carried a result passed (see <see cref="NativeResults.CarriesResult(ChatResponseUpdate)"/>).</summary>
    public bool SawResult { get; private set; }

    /// <summary>Gets a value indicating whether the terminal event (a finish reason) passed.</summary>
    public bool Finished => _finish is not null;

    /// <summary>Applies the rule to the next update.</summary>
    /// <param name="update">The update the decoder made.</param>
    /// <returns>The update to pass on (after the finish, stripped to its usage), or <see langword="null"/> when nothing of it may pass.</returns>
    public ChatResponseUpdate? Apply(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (_finish is not { } finish)
        {
            _finish = update.FinishReason;
            // Once a result passed, the check is not needed again: the steady state of a stream does no work here.
            SawResult = SawResult || NativeResults.CarriesResult(update);
            return update;
        }

        return AfterFinish(update, finish);
    }

    // Its own method: the lambda below captures keepCalls, and a captured local's closure is allocated where its scope
    // starts; in Apply, that was on every streamed event (issue 24).
    private ChatResponseUpdate? AfterFinish(ChatResponseUpdate update, ChatFinishReason finish)
    {
        // After the terminal event: usage only (and an SDK's assembled calls under the same finish).
        var keepCalls = _keepAssembledCalls && update.FinishReason == finish;
        var kept = 0;
        foreach (var content in update.Contents)
        {
            if (content is UsageContent || (keepCalls && content is FunctionCallContent))
            {
                kept++;
            }
        }

        if (kept == 0)
        {
            return null;
        }

        if (kept != update.Contents.Count)
        {
            update.Contents = [.. update.Contents.Where(c => c is UsageContent || (keepCalls && c is FunctionCallContent))];
        }

        if (update.FinishReason is not null)
        {
            update.FinishReason = finish; // a second, contradicting finish never passes
        }

        return update;
    }
}

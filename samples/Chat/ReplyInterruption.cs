// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// Ctrl+C in the chat: the first press during a reply cancels that reply (the chat returns to its prompt); a press
/// when no reply is running, or a second press during the same reply, ends the process.
/// </summary>
internal sealed class ReplyInterruption : IDisposable
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _reply;

    public ReplyInterruption() => Console.CancelKeyPress += OnCancelKeyPress;

    /// <summary>Starts a reply: the token is cancelled by the next Ctrl+C.</summary>
    public CancellationToken BeginReply()
    {
        lock (_lock)
        {
            _reply?.Dispose();
            _reply = new CancellationTokenSource();
            return _reply.Token;
        }
    }

    /// <summary>Ends the reply: a Ctrl+C from now on ends the process.</summary>
    public void EndReply()
    {
        lock (_lock)
        {
            _reply?.Dispose();
            _reply = null;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        EndReply();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        lock (_lock)
        {
            if (_reply is { IsCancellationRequested: false } reply)
            {
                e.Cancel = true;
                reply.Cancel();
                return;
            }
        }

        // No reply to stop (or it is already stopping): let the process end, as Ctrl+C does anywhere else.
        e.Cancel = false;
    }
}

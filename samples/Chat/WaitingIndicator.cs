// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// A spinner on standard error from the moment a prompt is sent until the first token arrives; shown only when standard
/// error is a terminal, so redirected output and logs stay clean.
/// </summary>
internal sealed class WaitingIndicator : IAsyncDisposable
{
    private static readonly string[] s_frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _spinning;

    private WaitingIndicator(ConsoleStyle style, TimeProvider timeProvider) => _spinning = SpinAsync(style, timeProvider, _stop.Token);

    /// <summary>Starts the indicator, or returns <see langword="null"/> when standard error is not a terminal.</summary>
    public static WaitingIndicator? Start(ConsoleStyle style, TimeProvider timeProvider) =>
        Console.IsErrorRedirected ? null : new WaitingIndicator(style, timeProvider);

    /// <summary>Stops the indicator and erases it (idempotent).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _spinning;
            _stop.Dispose();
        }
    }

    private static async Task SpinAsync(ConsoleStyle style, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var frame = 0;
        try
        {
            // Wait a little first: a fast reply shows no spinner at all.
            await Task.Delay(TimeSpan.FromMilliseconds(150), timeProvider, cancellationToken);
            while (true)
            {
                Console.Error.Write("\r" + style.Dim(s_frames[frame++ % s_frames.Length] + " waiting for the first token"));
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            if (frame > 0)
            {
                Console.Error.Write("\r\u001b[2K");
            }
        }
    }
}

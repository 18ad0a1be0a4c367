// Licensed under the MIT License.

namespace LlmAdapters.TestUtilities;

/// <summary>An HTTP handler over real sockets that counts the requests sent and the most in flight at once (each response is read whole before it counts as done).</summary>
public sealed class InFlightHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _inFlight;
    private int _max;
    private int _total;

    /// <summary>Gets the most requests that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _max);

    /// <summary>Gets the number of requests sent.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _total);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

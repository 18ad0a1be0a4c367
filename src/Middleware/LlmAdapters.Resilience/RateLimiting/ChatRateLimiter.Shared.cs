// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>The part of <see cref="ChatRateLimiter"/> that consults an <see cref="IChatRateLimitStore"/> shared by processes.</summary>
public sealed partial class ChatRateLimiter
{
    private static readonly TimeSpan s_minimumPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_maximumPoll = TimeSpan.FromSeconds(1);
    private IChatRateLimitStore? _store;
    private string _sharedName = "";
    private int _sharedWaiters;

    /// <summary>Gets the store shared with other processes, or <see langword="null"/> when the limits are kept in process.</summary>
    public IChatRateLimitStore? Store => _store;

    private void InitializeShared(RateLimitingChatClientOptions options)
    {
        if (options.Store is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.SharedName))
        {
            throw new ArgumentException("A rate limiter with a shared store needs a SharedName: every process that names the same limiter shares its limits.", nameof(options));
        }

        _store = options.Store;
        _sharedName = options.SharedName;
    }

    /// <summary>Acquires from the shared store, waiting while it says so; <see langword="null"/> when the store failed and the in-process limiter must be used.</summary>
    private async ValueTask<Lease?> TryAcquireSharedAsync(int estimatedTokens, string providerName, long started, CancellationToken cancellationToken)
    {
        var store = _store!;
        var leaseId = Guid.NewGuid().ToString("N");
        var tokens = _tokens is null ? 0 : estimatedTokens;
        var waiting = false;
        try
        {
            while (true)
            {
                TimeSpan wait;
                try
                {
                    wait = await store.TryAcquireAsync(_sharedName, this, leaseId, tokens, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not ChatProviderException)
                {
                    return null;
                }

                if (wait <= TimeSpan.Zero)
                {
                    return new Lease(new SharedLease(store, _sharedName, this, leaseId, tokens), _timeProvider.GetElapsedTime(started));
                }

                if (!waiting)
                {
                    waiting = true;
                    if (Interlocked.Increment(ref _sharedWaiters) > QueueLimit)
                    {
                        throw Rejected(providerName, "shared", "requests, tokens or concurrent requests shared by every process", wait);
                    }
                }

                var delay = wait < s_minimumPoll ? s_minimumPoll : wait > s_maximumPoll ? s_maximumPoll : wait;
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (waiting)
            {
                Interlocked.Decrement(ref _sharedWaiters);
            }
        }
    }

    /// <summary>An acquisition from the shared store: released (with the real tokens) when the call ends.</summary>
    internal sealed class SharedLease(IChatRateLimitStore store, string name, ChatRateLimiter limiter, string leaseId, int reservedTokens)
    {
        private readonly int _reservedTokens = reservedTokens;
        private int _usedTokens = reservedTokens;
        private int _released;

        public void Reconcile(int tokens) => Volatile.Write(ref _usedTokens, tokens);

        // Dispose is synchronous: the release runs on its own and never fails the call; a release that is lost is
        // undone by the store's own expiry (the lease timeout, the window).
        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _ = ReleaseAsync();
            }
        }

        private async Task ReleaseAsync()
        {
            try
            {
                await store.ReleaseAsync(name, limiter, leaseId, _reservedTokens, Volatile.Read(ref _usedTokens), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store reports its own failures; the lease expires there.
            }
        }
    }

    /// <summary>The part of <see cref="Lease"/> that holds a shared acquisition.</summary>
    internal sealed partial class Lease
    {
        private readonly SharedLease? _shared;

        public Lease(SharedLease shared, TimeSpan waited)
        {
            _shared = shared;
            Waited = waited;
        }
    }
}

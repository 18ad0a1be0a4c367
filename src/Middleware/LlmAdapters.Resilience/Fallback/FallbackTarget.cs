// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// One target of a fallback order: its name, model, circuit and health (calls in flight, moving average of time to first
/// token), and the mark it leaves on what it serves.
/// </summary>
internal sealed class FallbackTarget : DelegatingChatClient
{
    private readonly bool _ownsClient;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _latencyLock = new();
    private int _inFlight;
    private double _latencyMs = double.NaN;

    public FallbackTarget(string name, IChatClient client, bool ownsClient, CircuitBreaker circuit, TimeProvider? timeProvider = null, string? modelId = null)
        : base(client)
    {
        Name = name;
        _ownsClient = ownsClient;
        Circuit = circuit;
        _timeProvider = timeProvider ?? TimeProvider.System;
        ModelId = modelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    public string Name { get; }

    public CircuitBreaker Circuit { get; }

    /// <summary>Gets the model this target sends calls to, when known (for <see cref="ChatRoutingStrategy.LowestCost"/>).</summary>
    public string? ModelId { get; }

    /// <summary>Gets the calls of this process in flight on this target.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the moving average of time to first token, or <see langword="null"/> before the first measure.</summary>
    public TimeSpan? Latency
    {
        get
        {
            lock (_latencyLock)
            {
                return double.IsNaN(_latencyMs) ? null : TimeSpan.FromMilliseconds(_latencyMs);
            }
        }
    }

    /// <summary>Gets or sets what is told of each measured time to first token.</summary>
    public Action<FallbackTarget, TimeSpan>? FirstTokenMeasured { get; set; }

    /// <summary>Adds a sample to the moving average.</summary>
    public void RecordLatency(TimeSpan sample)
    {
        lock (_latencyLock)
        {
            var ms = sample.TotalMilliseconds;
            _latencyMs = double.IsNaN(_latencyMs) ? ms : _latencyMs + (FallbackChatClientOptions.LatencySmoothing * (ms - _latencyMs));
        }
    }

    /// <summary>Takes the moving average shared by other processes.</summary>
    public void SetLatency(TimeSpan average)
    {
        lock (_latencyLock)
        {
            _latencyMs = average.TotalMilliseconds;
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        // A whole response is its first token.
        Measured(_timeProvider.GetElapsedTime(started));
        (response.AdditionalProperties ??= [])[ResilienceTelemetry.FallbackClientTag] = Name;
        Activity.Current?.SetTag(ResilienceTelemetry.FallbackClientTag, Name);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        try
        {
            var first = true;
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                if (first)
                {
                    first = false;
                    Measured(_timeProvider.GetElapsedTime(started));
                    (update.AdditionalProperties ??= [])[ResilienceTelemetry.FallbackClientTag] = Name;
                    Activity.Current?.SetTag(ResilienceTelemetry.FallbackClientTag, Name);
                }

                yield return update;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_ownsClient)
        {
            base.Dispose(disposing);
        }
    }

    private void Measured(TimeSpan elapsed)
    {
        RecordLatency(elapsed);
        FirstTokenMeasured?.Invoke(this, elapsed);
    }
}

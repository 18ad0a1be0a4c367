// Licensed under the MIT License.

using System.Net;
using System.Text;
using LlmAdapters.Native;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Core.Tests.Native;

/// <summary>
/// The network timeout's semantics (the longest silence, reset by every event, on the options' clock) and its cost: no timer
/// operation per event (issue 24: a re-armed timer per event contended on the runtime's timer queue at 1,000 streams).
/// </summary>
public sealed class NetworkDeadlineTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Silence_ShorterThanTheTimeout_RestartedEachTime_NeverCancels()
    {
        var clock = new FakeTimeProvider();
        using var deadline = new NetworkDeadline(s_timeout, clock);

        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(59));
            Assert.False(deadline.IsCancellationRequested);
            deadline.Restart();
        }
    }

    [Fact]
    public void Silence_OfTheWholeTimeoutAfterTheLastRestart_Cancels_NotATickBefore()
    {
        var clock = new FakeTimeProvider();
        using var deadline = new NetworkDeadline(s_timeout, clock);
        clock.Advance(TimeSpan.FromSeconds(45));
        deadline.Restart();

        clock.Advance(s_timeout - TimeSpan.FromTicks(1));
        Assert.False(deadline.IsCancellationRequested);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(deadline.IsCancellationRequested);
    }

    [Fact]
    public void OneLongAdvance_PastAMovedDeadline_Cancels()
    {
        var clock = new FakeTimeProvider();
        using var deadline = new NetworkDeadline(s_timeout, clock);
        clock.Advance(TimeSpan.FromSeconds(59));
        deadline.Restart();

        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.True(deadline.IsCancellationRequested);
    }

    [Fact]
    public void Disposed_BeforeItIsDue_NeverCancels()
    {
        var clock = new FakeTimeProvider();
        var deadline = new NetworkDeadline(s_timeout, clock);
        var token = deadline.Token;
        deadline.Dispose();

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Stream_OfManyEvents_CreatesOneTimerAndChangesItNever()
    {
        var clock = new CountingTimeProvider(new FakeTimeProvider());
        var body = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            body.Append("data: {\"text\":\"t\"}\n\n");
        }

        body.Append("data: [DONE]\n\n");
        using var transport = new NativeHttpTransport(
            new NativeTransportOptions { ProviderName = "test", TimeProvider = clock, NetworkTimeout = s_timeout },
            new HttpClient(new StubHttpHandler(request => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body.ToString(), Encoding.UTF8, "text/event-stream"),
                RequestMessage = request,
            })));
        var count = 0;

        await foreach (var update in transport.GetStreamingResponseAsync(
            new Uri("https://provider.test/v1/chat"),
            new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true),
            static d => ("{}"u8.ToArray(), (INativeStreamDecoder)d),
            Ct))
        {
            count++;
        }

        Assert.Equal(500, count);
        Assert.Equal(1, clock.TimersCreated);
        Assert.Equal(0, clock.TimerChanges);
    }

    [Fact]
    public async Task Stream_WithAnInfiniteTimeout_CreatesNoTimer()
    {
        var clock = new CountingTimeProvider(new FakeTimeProvider());
        using var transport = new NativeHttpTransport(
            new NativeTransportOptions { ProviderName = "test", TimeProvider = clock, NetworkTimeout = Timeout.InfiniteTimeSpan },
            new HttpClient(new StubHttpHandler(request => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("data: {\"text\":\"a\"}\n\ndata: [DONE]\n\n", Encoding.UTF8, "text/event-stream"),
                RequestMessage = request,
            })));
        var texts = new List<string>();

        await foreach (var update in transport.GetStreamingResponseAsync(
            new Uri("https://provider.test/v1/chat"),
            new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true),
            static d => ("{}"u8.ToArray(), (INativeStreamDecoder)d),
            Ct))
        {
            texts.Add(update.Text);
        }

        Assert.Equal(["a"], texts);
        Assert.Equal(0, clock.TimersCreated);
    }

    [Fact]
    public async Task Stream_SilentForTheTimeoutAfterAnEvent_FailsWithTimeout_AfterShorterSilencesDidNot()
    {
        var clock = new FakeTimeProvider();
        var body = new GatedContent();
        using var transport = new NativeHttpTransport(
            new NativeTransportOptions { ProviderName = "test", TimeProvider = clock, NetworkTimeout = s_timeout },
            new HttpClient(new StubHttpHandler(request => new HttpResponseMessage(HttpStatusCode.OK) { Content = body, RequestMessage = request })));
        await using var updates = transport.GetStreamingResponseAsync(
            new Uri("https://provider.test/v1/chat"),
            new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true),
            static d => ("{}"u8.ToArray(), (INativeStreamDecoder)d),
            Ct).GetAsyncEnumerator(Ct);

        body.Write("data: {\"text\":\"a\"}\n\n");
        Assert.True(await updates.MoveNextAsync());
        for (var i = 0; i < 3; i++)
        {
            var next = updates.MoveNextAsync().AsTask();
            await body.WaitStarvedAsync();
            clock.Advance(TimeSpan.FromSeconds(59));
            body.Write("data: {\"text\":\"b\"}\n\n");
            Assert.True(await next);
        }

        var pending = updates.MoveNextAsync().AsTask();
        await body.WaitStarvedAsync();
        clock.Advance(s_timeout);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => pending);
        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
    }

    /// <summary>Counts the timers made on a clock and the changes made to them.</summary>
    private sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
    {
        private int _created;
        private int _changes;

        public int TimersCreated => Volatile.Read(ref _created);

        public int TimerChanges => Volatile.Read(ref _changes);

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            return new CountingTimer(inner.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class CountingTimer(ITimer timer, CountingTimeProvider owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                Interlocked.Increment(ref owner._changes);
                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    /// <summary>A body written by the test, event by event; reads wait (on their token) until something is written.</summary>
    private sealed class GatedContent : HttpContent
    {
        private readonly System.Threading.Channels.Channel<byte[]> _chunks = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        private TaskCompletionSource _starved = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Write(string text) => _chunks.Writer.TryWrite(Encoding.UTF8.GetBytes(text));

        public async Task WaitStarvedAsync()
        {
            await _starved.Task.WaitAsync(Ct);
            _starved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => throw new NotSupportedException();

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new Reader(this));

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        private sealed class Reader(GatedContent owner) : Stream
        {
            private ReadOnlyMemory<byte> _current;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (_current.IsEmpty)
                {
                    if (!owner._chunks.Reader.TryRead(out var next))
                    {
                        owner._starved.TrySetResult();
                        next = await owner._chunks.Reader.ReadAsync(cancellationToken);
                    }

                    _current = next;
                }

                var count = Math.Min(buffer.Length, _current.Length);
                _current[..count].CopyTo(buffer);
                _current = _current[count..];
                return count;
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}

// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Internal;

/// <summary>A read-only view of a streamed body that shows every read to a <see cref="SseDoneWatch"/>.</summary>
internal sealed class SseDoneWatchingStream(Stream inner, SseDoneWatch watch) : ObservedReadStream(inner)
{
    protected override int OnRead(ReadOnlySpan<byte> read)
    {
        watch.Observe(read);
        return read.Length;
    }
}

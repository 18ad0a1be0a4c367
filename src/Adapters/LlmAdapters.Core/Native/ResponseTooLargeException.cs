// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>Thrown by <see cref="NativeResponseStream"/> past the size limit; the transport turns it into a <see cref="ChatProviderException"/>.</summary>
internal sealed class ResponseTooLargeException(long limit) : Exception("The response is larger than the limit.")
{
    /// <summary>Gets the limit, in bytes.</summary>
    public long Limit { get; } = limit;
}

// Licensed under the MIT License.

using System.Text;

namespace LlmAdapters.TestUtilities.Hostile;

/// <summary>One scripted answer of a <see cref="HostileProviderServer"/>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="Body">The body bytes, sent as they are.</param>
/// <param name="Headers">Extra headers.</param>
/// <param name="Cut">When <see langword="true"/>, no Content-Length is sent and the connection closes after the body: a body cut in transit.</param>
/// <param name="ContentLength">A Content-Length to announce instead of the body's (a lie), or <see langword="null"/> for the truth.</param>
/// <param name="Trickle">Bytes written again every 100 ms after the body until the client goes away (SSE comments that keep a stream alive), or <see langword="null"/>.</param>
public sealed record HostileAnswer(int Status, string ContentType, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers, bool Cut = false, long? ContentLength = null, byte[]? Trickle = null)
{
    /// <summary>An answer with a UTF-8 text body.</summary>
    public static HostileAnswer Text(int status, string contentType, string body, bool cut = false, params (string Name, string Value)[] headers) =>
        new(status, contentType, Encoding.UTF8.GetBytes(body), headers, cut);
}

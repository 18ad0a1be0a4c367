// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>
/// A fault the emulator injects into one request: an error status with body and <c>Retry-After</c>, a delay before the
/// first byte, a stream cut after some chunks, or a malformed chunk. Enqueue it with <see cref="EmulatorServer.Faults"/>.
/// </summary>
public sealed class EmulatorFault
{
    /// <summary>Gets or sets the dialect the fault applies to (<c>openai</c>, <c>anthropic</c>), or <see langword="null"/> for the next request of any dialect.</summary>
    public string? Dialect { get; set; }

    /// <summary>Gets or sets the error status to answer with, or <see langword="null"/> to answer normally.</summary>
    public int? StatusCode { get; set; }

    /// <summary>Gets or sets the error body, or <see langword="null"/> for the dialect's own error envelope.</summary>
    public string? Body { get; set; }

    /// <summary>Gets or sets the provider error type for the generated envelope (e.g. <c>rate_limit_error</c>), or <see langword="null"/> for the status's usual one.</summary>
    public string? ErrorType { get; set; }

    /// <summary>Gets or sets the <c>Retry-After</c> header value, in whole seconds (rounded up).</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Gets or sets the delay before the response headers are sent.</summary>
    public TimeSpan? FirstByteDelay { get; set; }

    /// <summary>Gets or sets the number of streamed chunks after which the connection is aborted.</summary>
    public int? CutAfterChunks { get; set; }

    /// <summary>Gets or sets the index of the streamed chunk replaced by malformed JSON.</summary>
    public int? MalformedChunkAt { get; set; }

    /// <summary>Gets or sets how many requests the fault applies to.</summary>
    /// <value>The default value is 1.</value>
    public int Times { get; set; } = 1;

    /// <summary>Creates an error fault.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> value, if any.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Status(int statusCode, TimeSpan? retryAfter = null) => new() { StatusCode = statusCode, RetryAfter = retryAfter };
}

// Licensed under the MIT License.

namespace LlmAdapters;

/// <summary>
/// The machine-readable kind of a <see cref="ChatProviderException"/>: the same set for every provider.
/// </summary>
public enum ChatProviderErrorKind
{
    /// <summary>The kind could not be determined from what the provider returned.</summary>
    Unknown = 0,

    /// <summary>The caller sent too many requests or tokens (HTTP 429, or a local rate limiter). Transient.</summary>
    RateLimited,

    /// <summary>The provider is temporarily overloaded (HTTP 529, Anthropic <c>overloaded_error</c>, OpenAI 503 "overloaded"). Transient.</summary>
    Overloaded,

    /// <summary>The credential is missing, malformed or revoked (HTTP 401).</summary>
    Authentication,

    /// <summary>The credential is valid but may not use this resource (HTTP 403).</summary>
    PermissionDenied,

    /// <summary>The requested model does not exist or is not available to the caller.</summary>
    ModelNotFound,

    /// <summary>The prompt (plus the requested output) does not fit the model's context window.</summary>
    ContextLengthExceeded,

    /// <summary>The provider's safety system refused the input or the output.</summary>
    ContentFiltered,

    /// <summary>The request is malformed or uses a parameter the provider rejects (HTTP 400, 413, 422).</summary>
    InvalidRequest,

    /// <summary>The request did not complete in time (HTTP 408, 504, or a client-side timeout). Transient.</summary>
    Timeout,

    /// <summary>The provider could not be reached or failed (network errors, HTTP 5xx). Transient.</summary>
    Unavailable,
}

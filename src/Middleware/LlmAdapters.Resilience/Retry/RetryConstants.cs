// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>The defaults and configuration keys of the retry middleware.</summary>
internal static class RetryConstants
{
    public const int DefaultMaxAttempts = 3;

    public const string MaxAttemptsKey = "MaxAttempts";
    public const string BaseDelayKey = "BaseDelay";
    public const string MaxDelayKey = "MaxDelay";
    public const string UseJitterKey = "UseJitter";

    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The shortest wait after a server's Retry-After (0, or a date in the past); never more than the base delay.</summary>
    public static readonly TimeSpan RetryAfterFloor = TimeSpan.FromMilliseconds(250);
}

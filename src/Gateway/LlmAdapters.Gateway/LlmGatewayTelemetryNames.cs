// Licensed under the MIT License.

namespace LlmAdapters;

/// <summary>
/// The names the gateway reports under: the <c>LlmAdapters.Gateway</c> meter, its instruments and tags. docs/gateway.md
/// lists them.
/// </summary>
public static class LlmGatewayTelemetryNames
{
    /// <summary>The name of the gateway's meter.</summary>
    public const string MeterName = "LlmAdapters.Gateway";

    /// <summary>
    /// The histogram of the time a call spent in the gateway and the configured pipeline, from the front door's handler to
    /// its last byte written, minus the time the adapter waited on the provider's bytes (unit <c>s</c>). Recorded only while
    /// someone listens to it, and only for calls whose adapter reports its waiting (the native ones).
    /// </summary>
    public const string OverheadInstrument = "llmadapters.gateway.overhead";

    /// <summary>The tag of the configured client that served the call.</summary>
    public const string ClientTag = "llmadapters.client";

    /// <summary>The tag of the front door: <c>chat.completions</c> or <c>messages</c>.</summary>
    public const string DoorTag = "llmadapters.gateway.door";
}

// Licensed under the MIT License.

using LlmAdapters.Native;

namespace LlmAdapters.Gemini;

/// <summary>Options of a <see cref="GeminiChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="NativeChatClientOptions.ApiKey"/> is a credential; it is sent only in the <c>x-goog-api-key</c> header (never in the
/// URL), and masked in every exception even when Google echoes it. A key with a line break, a control or a non-ASCII character is
/// rejected by the client's constructor.</remarks>
public sealed class GeminiChatClientOptions : NativeChatClientOptions
{
    /// <summary>The endpoint used when <see cref="NativeChatClientOptions.Endpoint"/> is not set: <c>https://generativelanguage.googleapis.com</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://generativelanguage.googleapis.com");

    /// <summary>The value of <see cref="ApiVersion"/> when not set.</summary>
    public const string DefaultApiVersion = "v1beta";

    /// <summary>The model used by the hosting layer when none is configured.</summary>
    public const string DefaultModel = "gemini-2.5-flash";

    /// <summary>Gets or sets the API version segment of the URL.</summary>
    /// <value>The default value is <c>v1beta</c> (<see cref="DefaultApiVersion"/>).</value>
    public string ApiVersion { get; set; } = DefaultApiVersion;
}

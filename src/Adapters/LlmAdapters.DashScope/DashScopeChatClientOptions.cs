// Licensed under the MIT License.

namespace LlmAdapters.DashScope;

/// <summary>Options of a <see cref="DashScopeChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="Native.NativeChatClientOptions.ApiKey"/> is a credential; it is sent only as <c>Authorization: Bearer</c> and never logged or put in a message.</remarks>
public sealed class DashScopeChatClientOptions : Native.NativeChatClientOptions
{
    /// <summary>The international (Singapore) endpoint, used when <see cref="Native.NativeChatClientOptions.Endpoint"/> is not set: <c>https://dashscope-intl.aliyuncs.com</c>.</summary>
    public static readonly Uri InternationalEndpoint = new("https://dashscope-intl.aliyuncs.com");

    /// <summary>The mainland China (Beijing) endpoint: <c>https://dashscope.aliyuncs.com</c>. Keys are per region.</summary>
    public static readonly Uri MainlandEndpoint = new("https://dashscope.aliyuncs.com");
}

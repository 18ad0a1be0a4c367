// Licensed under the MIT License.

namespace LlmAdapters.OpenAI;

/// <summary>Options of an <c>OpenAICompatibleChatClient</c> (LlmAdapters.OpenAI.Sdk).</summary>
/// <remarks>Sensitive data: <see cref="LlmAdapters.Native.NativeChatClientOptions.ApiKey"/> is a credential; it is sent only in the <c>Authorization</c> header and never logged.</remarks>
public sealed class OpenAICompatibleChatClientOptions : LlmAdapters.Native.NativeChatClientOptions
{
    /// <summary>Gets or sets the provider name reported in <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/> and in errors.</summary>
    /// <value>The default value is <c>openai</c>. Use <c>vllm</c>, <c>dashscope</c>, <c>ollama</c>, <c>groq</c>… for compatible servers
    /// (<see cref="OpenAICompatibleProviders"/>); any other name is accepted with an explicit <see cref="LlmAdapters.Native.NativeChatClientOptions.Endpoint"/>.</value>
    public string ProviderName { get; set; } = "openai";

    /// <summary>Gets or sets the OpenAI organization id, sent as <c>OpenAI-Organization</c>.</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the OpenAI project id, sent as <c>OpenAI-Project</c>.</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public string? Project { get; set; }
}

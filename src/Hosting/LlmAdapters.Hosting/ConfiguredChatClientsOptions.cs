// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>Options of <see cref="ConfiguredChatClients"/>.</summary>
public sealed class ConfiguredChatClientsOptions
{
    /// <summary>The name of the client of the top-level <c>AI</c> keys, and of the unkeyed <c>IChatClient</c>: <c>default</c>.</summary>
    public const string DefaultClientName = "default";

    /// <summary>Gets or sets how an environment variable is read (for the API key fallback such as <c>OPENAI_API_KEY</c>).</summary>
    /// <value>The default value is <see cref="Environment.GetEnvironmentVariable(string)"/>.</value>
    public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;
}

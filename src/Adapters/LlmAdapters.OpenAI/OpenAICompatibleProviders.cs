// Licensed under the MIT License.

namespace LlmAdapters.OpenAI;

/// <summary>
/// The servers known to speak OpenAI's Chat Completions API, with their default endpoints and API-key environment
/// variables and default models: the one table of them. <c>services.AddOpenAIChatProviders()</c> registers one provider name per preset.
/// </summary>
/// <remarks>
/// Endpoints as documented by each provider (checked 2026-11): OpenAI <c>https://api.openai.com/v1</c>; DashScope
/// compatible mode, international (Singapore) region <c>https://dashscope-intl.aliyuncs.com/compatible-mode/v1</c>
/// (mainland China is <c>https://dashscope.aliyuncs.com/compatible-mode/v1</c>: configure it as the endpoint);
/// Groq <c>https://api.groq.com/openai/v1</c>; Together <c>https://api.together.ai/v1</c> (its current documentation;
/// the older <c>api.together.xyz</c> host still answers); DeepSeek <c>https://api.deepseek.com/v1</c> (the <c>v1</c>
/// is not a model version); Ollama <c>http://localhost:11434/v1</c>; LM Studio <c>http://localhost:1234/v1</c>.
/// vLLM has no default address.
/// </remarks>
public static class OpenAICompatibleProviders
{
    /// <summary>Gets OpenAI itself.</summary>
    public static OpenAICompatibleProvider OpenAI { get; } = new("openai", new Uri("https://api.openai.com/v1"), "OPENAI_API_KEY", requiresApiKey: true, "gpt-4o-mini");

    /// <summary>Gets a vLLM server (<c>vllm serve</c>); its endpoint must be configured, its key only when started with <c>--api-key</c>.</summary>
    public static OpenAICompatibleProvider Vllm { get; } = new("vllm", null, "VLLM_API_KEY", requiresApiKey: false);

    /// <summary>Gets Alibaba Cloud Model Studio (DashScope) in OpenAI-compatible mode, international region.</summary>
    public static OpenAICompatibleProvider DashScope { get; } = new("dashscope", new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1"), "DASHSCOPE_API_KEY", requiresApiKey: true, "qwen-plus");

    /// <summary>
    /// Gets a local Ollama server through its OpenAI-compatible <c>/v1</c> API, as <c>ollama-openai</c>. The name <c>ollama</c>
    /// is Ollama's native API (LlmAdapters.Ollama), which keeps thinking, <c>keep_alive</c>, the durations and the server's tool-call ids.
    /// </summary>
    public static OpenAICompatibleProvider Ollama { get; } = new("ollama-openai", new Uri("http://localhost:11434/v1"), null, requiresApiKey: false);

    /// <summary>Gets Groq.</summary>
    public static OpenAICompatibleProvider Groq { get; } = new("groq", new Uri("https://api.groq.com/openai/v1"), "GROQ_API_KEY", requiresApiKey: true, "llama-3.3-70b-versatile");

    /// <summary>Gets Together AI.</summary>
    public static OpenAICompatibleProvider Together { get; } = new("together", new Uri("https://api.together.ai/v1"), "TOGETHER_API_KEY", requiresApiKey: true, "meta-llama/Llama-3.3-70B-Instruct-Turbo");

    /// <summary>Gets a local LM Studio server.</summary>
    public static OpenAICompatibleProvider LMStudio { get; } = new("lmstudio", new Uri("http://localhost:1234/v1"), null, requiresApiKey: false);

    /// <summary>Gets DeepSeek.</summary>
    public static OpenAICompatibleProvider DeepSeek { get; } = new("deepseek", new Uri("https://api.deepseek.com/v1"), "DEEPSEEK_API_KEY", requiresApiKey: true, "deepseek-chat");

    /// <summary>Gets every preset, <c>openai</c> first.</summary>
    public static IReadOnlyList<OpenAICompatibleProvider> All { get; } = [OpenAI, Vllm, DashScope, Ollama, Groq, Together, LMStudio, DeepSeek];

    /// <summary>Finds a preset by name, ignoring case.</summary>
    /// <param name="name">The provider name.</param>
    /// <returns>The preset, or <see langword="null"/> when <paramref name="name"/> is not one.</returns>
    public static OpenAICompatibleProvider? Find(string? name)
    {
        foreach (var provider in All)
        {
            if (string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        return null;
    }
}

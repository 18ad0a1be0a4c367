// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Tests;

public sealed class OpenAICompatibleProvidersTests
{
    [Fact]
    public void All_ListsEveryPresetWithEndpointKeyVariableAndKeyRule()
    {
        var presets = OpenAICompatibleProviders.All.Select(p => (p.Name, p.DefaultEndpoint?.ToString(), p.ApiKeyEnvironmentVariable, p.RequiresApiKey)).ToList();

        Assert.Equal(
            [
                ("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", true),
                ("vllm", null, "VLLM_API_KEY", false),
                ("dashscope", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", true),
                ("ollama-openai", "http://localhost:11434/v1", null, false),
                ("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", true),
                ("together", "https://api.together.ai/v1", "TOGETHER_API_KEY", true),
                ("lmstudio", "http://localhost:1234/v1", null, false),
                ("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", true),
            ],
            presets);
        Assert.Equal(presets.Count, presets.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void OldOllamaPresetName_WithoutEndpoint_SaysItIsNowOllamaOpenAI()
    {
        Assert.Null(OpenAICompatibleProviders.Find("ollama"));
        var ex = Assert.Throws<ArgumentException>(() => new OpenAICompatibleChatClient(new() { ProviderName = "ollama", Model = "llama3.2" }));
        Assert.Contains("'ollama-openai'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("OpenAI")]
    [InlineData("VLLM")]
    [InlineData("lmstudio")]
    public void Find_KnownNameAnyCase_ReturnsPreset(string name)
    {
        var preset = OpenAICompatibleProviders.Find(name);

        Assert.NotNull(preset);
        Assert.Equal(name, preset.Name, ignoreCase: true);
        Assert.Contains(preset, OpenAICompatibleProviders.All);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anthropic")]
    public void Find_UnknownName_ReturnsNull(string? name) => Assert.Null(OpenAICompatibleProviders.Find(name));

    [Fact]
    public void Ctor_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>("name", () => new OpenAICompatibleProvider(" ", null, null, requiresApiKey: false));
        Assert.Throws<ArgumentNullException>("name", () => new OpenAICompatibleProvider(null!, null, null, requiresApiKey: false));
    }
}

// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Issues;

/// <summary>
/// Issue 20: keys that could only fail at the first call, or were ignored, are start-up errors naming their path; every
/// member of every built-in descriptor survives registration.
/// </summary>
public sealed class IssuesTests_Hardening_20
{
    private static ServiceProvider Build(Dictionary<string, string?> values, Action<ConfiguredChatClientsOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        if (options is not null)
        {
            services.Configure(options);
        }

        return services.BuildServiceProvider();
    }

    private static IReadOnlyList<string> Validate(Dictionary<string, string?> values)
    {
        using var services = Build(values);
        return services.GetRequiredService<ConfiguredChatClients>().Validate();
    }

    private static Dictionary<string, string?> Client(string provider, string endpoint = "http://localhost:9/") => new()
    {
        ["AI:Provider"] = provider,
        ["AI:Endpoint"] = endpoint,
        ["AI:Model"] = "test-model",
        ["AI:ApiKey"] = "test-key-0000000000",
    };

    // N7: AI:Redis:Configuraton silently turned every shared budget and limit into a per-process one.
    [Theory]
    [InlineData("AI:Redis:Configuraton", "localhost:6379")]
    [InlineData("AI:Redis:Failure:Budjet", "FailOpen")]
    public void Redis_UnknownKey_IsAnErrorNamingItsPath(string key, string value)
    {
        var values = Client("openai");
        values[key] = value;
        var services = new ServiceCollection();

        var ex = Assert.Throws<InvalidOperationException>(() =>
            services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI")));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    // N8: a misspelt key inside a price entry was ignored.
    [Theory]
    [InlineData("AI:Pricing:Models:my-model:Ouptut")]
    [InlineData("AI:Pricing:Models:my-model:Tiers:0:Inptu")]
    public void Pricing_UnknownKeyInsideAnEntry_IsAnErrorNamingItsPath(string key)
    {
        var values = Client("openai");
        values["AI:Pricing:Models:my-model:Input"] = "1";
        values["AI:Pricing:Models:my-model:Output"] = "2";
        values["AI:Pricing:Models:my-model:Tiers:0:AboveInputTokens"] = "1000";
        values[key] = "3";

        Assert.Contains(Validate(values), e => e.StartsWith(key, StringComparison.Ordinal));
    }

    // N9: a CR/LF in a rotation key passed start-up and failed at the first call that used it.
    [Fact]
    public void PipelineApiKeys_LineBreakInASecondKey_IsAnErrorNamingItsPath_WithoutTheKey()
    {
        var values = Client("openai");
        values.Remove("AI:ApiKey");
        values["AI:Pipeline:ApiKeys:0"] = "first-key-000000000";
        values["AI:Pipeline:ApiKeys:1"] = "second-key-00000\r\n000";

        var error = Assert.Single(Validate(values));

        Assert.Contains("AI:Pipeline:ApiKeys:1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("second-key", error, StringComparison.Ordinal);
    }

    // N9: an ollama endpoint ending in /v1 passed ValidateOnStart and failed when the client was created.
    [Theory]
    [InlineData("http://localhost:11434/v1")]
    [InlineData("http://localhost:11434/v1/")]
    public void Ollama_EndpointOfTheOpenAICompatibleApi_IsAStartUpError(string endpoint)
    {
        var error = Assert.Single(Validate(Client("ollama", endpoint)));

        Assert.StartsWith("AI:Endpoint is", error, StringComparison.Ordinal);
        Assert.Contains("ollama-openai", error, StringComparison.Ordinal);
    }

    // Provider-specific keys skipped start-up validation: they failed at first use, or were dropped silently.
    [Theory]
    [InlineData("openai", "Implementation", "nativ")]
    [InlineData("vllm", "UseMaxTokens", "yes please")]
    [InlineData("ollama", "ContextLength", "8k")]
    [InlineData("ollama", "ContextLength", "0")]
    public void ProviderSpecificKey_BadValue_IsAStartUpErrorNamingTheKeyPath(string provider, string key, string value)
    {
        var values = Client(provider);
        values["AI:Clients:chat:" + key] = value;

        var error = Assert.Single(Validate(values));

        Assert.StartsWith($"AI:Clients:chat:{key} is '{value}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "Implementation", "sdk")]
    [InlineData("openai", "Implementation", "Native")]
    [InlineData("vllm", "UseMaxTokens", "true")]
    [InlineData("ollama", "ContextLength", "8192")]
    public void ProviderSpecificKey_GoodValue_NoError(string provider, string key, string value)
    {
        var values = Client(provider);
        values["AI:" + key] = value;

        Assert.Empty(Validate(values));
    }

    // GOOGLE_API_KEY was never read: the built-in wrapper copied the descriptor's members by hand and dropped the list.
    [Fact]
    public void Gemini_KeyFromGoogleApiKey_IsRead()
    {
        var values = new Dictionary<string, string?> { ["AI:Provider"] = "gemini" };
        using var services = Build(values, o => o.GetEnvironmentVariable = name => name == "GOOGLE_API_KEY" ? "google-key-0000000000" : null);

        Assert.Equal("google-key-0000000000", services.GetRequiredService<ConfiguredChatClients>().GetSettings("default").ApiKey);
    }

    [Fact]
    public void BuiltInDescriptors_EveryMemberSurvivesRegistration()
    {
        using var services = Build(Client("openai"));
        var registered = services.GetServices<IChatProviderFactory>().ToList();
        var settings = new ChatClientSettings { Name = "x", Provider = "x", Endpoint = new Uri("http://localhost:9/"), ApiKey = "probe-key-000000000", Model = "m" };

        IChatProviderFactory[] builtIn =
        [
            .. LlmAdapters.OpenAI.OpenAICompatibleChatProviderFactory.All,
            new LlmAdapters.Anthropic.AnthropicChatProviderFactory(),
            new LlmAdapters.Gemini.GeminiChatProviderFactory(),
            new LlmAdapters.Ollama.OllamaChatProviderFactory(),
            new LlmAdapters.DashScope.DashScopeNativeChatProviderFactory(),
        ];
        foreach (var own in builtIn)
        {
            var wrapper = Assert.Single(registered, r => r.Name == own.Name);
            Assert.Equal(own.ApiKeyEnvironmentVariable, wrapper.ApiKeyEnvironmentVariable);
            Assert.Equal(own.ApiKeyEnvironmentVariables, wrapper.ApiKeyEnvironmentVariables);
            Assert.Equal(own.RequiresApiKey, wrapper.RequiresApiKey);
            Assert.Equal(own.DefaultEndpoint, wrapper.DefaultEndpoint);
            Assert.Equal(own.DefaultModel, wrapper.DefaultModel);
            Assert.Equal(own.ConfigurationKeys, wrapper.ConfigurationKeys);
            Assert.Equal(own.CreateHealthProbe(settings)?.Uri, wrapper.CreateHealthProbe(settings)?.Uri);
        }

        Assert.Contains("GOOGLE_API_KEY", registered.Single(r => r.Name == "gemini").ApiKeyEnvironmentVariables);

        // A member added to the interface later, with a default, must be forwarded too, or the wrapper hides the descriptor's own.
        var wrapperType = registered.Single(r => r.Name == "gemini").GetType();
        var map = wrapperType.GetInterfaceMap(typeof(IChatProviderFactory));
        Assert.All(map.TargetMethods, m => Assert.Equal(wrapperType, m.DeclaringType));
    }
}

// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.OpenAI.Tests.Native;

/// <summary>
/// Which implementation a preset's factory builds: native by default for every preset, <c>openai</c> included (every recorded
/// OpenAI fixture maps identically on both paths: <see cref="ImplementationParityTests"/>); <c>Implementation: sdk</c> still
/// selects Microsoft.Extensions.AI.OpenAI.
/// </summary>
public sealed class ImplementationSelectionTests
{
    public static TheoryData<string> Presets => [.. OpenAICompatibleProviders.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Presets))]
    public void CreateClient_NoImplementationConfigured_IsNative(string preset)
    {
        using var client = Create(preset, implementation: null);

        Assert.IsType<OpenAIChatCompletionsClient>(client);
        Assert.Equal(preset, client.GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Fact]
    public void CreateClient_OpenAIWithoutImplementation_IsNativeNotTheSdk()
    {
        using var client = Create("openai", implementation: null);

        Assert.IsType<OpenAIChatCompletionsClient>(client);
        Assert.Null(client.GetService<global::OpenAI.Chat.ChatClient>());
    }

    [Theory]
    [InlineData("openai", "sdk")]
    [InlineData("openai", "SDK")]
    [InlineData("vllm", "sdk")]
    public void CreateClient_ImplementationSdk_IsTheSdkPath(string preset, string implementation)
    {
        using var client = Create(preset, implementation);

        Assert.IsType<OpenAICompatibleChatClient>(client);
        Assert.NotNull(client.GetService<global::OpenAI.Chat.ChatClient>());
    }

    [Theory]
    [InlineData("openai", "native")]
    [InlineData("openai", "Native")]
    [InlineData("groq", "native")]
    public void CreateClient_ImplementationNative_IsNative(string preset, string implementation)
    {
        using var client = Create(preset, implementation);

        Assert.IsType<OpenAIChatCompletionsClient>(client);
    }

    [Fact]
    public void CreateClient_UnknownImplementation_ThrowsNamingBothValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create("openai", "responses"));

        Assert.Contains("'native' or 'sdk'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'responses'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateClient_ImplementationSdk_WithoutTheSdkPackageRegistered_NamesThePackage()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create("openai", "sdk", registerSdk: false));

        Assert.Contains("LlmAdapters.OpenAI.Sdk", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddOpenAISdkImplementation()", ex.Message, StringComparison.Ordinal);
    }

    private static IChatClient Create(string preset, string? implementation, bool registerSdk = true)
    {
        var factory = new OpenAICompatibleChatProviderFactory(OpenAICompatibleProviders.Find(preset)!);
        var settings = new ChatClientSettings
        {
            Name = "default",
            Provider = preset,
            Model = "some-model",
            Endpoint = new Uri("http://localhost:8000/v1"),
            ApiKey = "sk-test-0000000000000000",
        };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [OpenAICompatibleChatProviderFactory.ImplementationKey] = implementation })
            .Build();
        var collection = new ServiceCollection();
        if (registerSdk)
        {
            collection.AddOpenAISdkImplementation(); // what the LlmAdapters.OpenAI.Sdk package brings
        }

        using var services = collection.BuildServiceProvider();
        return factory.CreateClient(new ChatProviderContext(settings, configuration, new HttpClient(), services));
    }
}

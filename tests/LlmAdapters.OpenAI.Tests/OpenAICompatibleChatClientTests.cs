// Licensed under the MIT License.

using System.Net;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests;

public sealed class OpenAICompatibleChatClientTests
{
    private const string OkBody = """{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";

    [Fact]
    public void Ctor_InvalidArgs_Throws()
    {
        Assert.Throws<ArgumentNullException>("options", () => new OpenAICompatibleChatClient(null!));
        Assert.Throws<ArgumentNullException>("options.Model", () => new OpenAICompatibleChatClient(new() { Model = null }));
        Assert.Throws<ArgumentException>("options.Model", () => new OpenAICompatibleChatClient(new() { Model = " " }));
        Assert.Throws<ArgumentException>("options.ProviderName", () => new OpenAICompatibleChatClient(new() { Model = "m", ProviderName = "" }));
        Assert.Throws<ArgumentNullException>("options.TimeProvider", () => new OpenAICompatibleChatClient(new() { Model = "m", TimeProvider = null! }));
        Assert.Throws<ArgumentOutOfRangeException>("options.NetworkTimeout", () => new OpenAICompatibleChatClient(new() { Model = "m", NetworkTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>("options.NetworkTimeout", () => new OpenAICompatibleChatClient(new() { Model = "m", NetworkTimeout = TimeSpan.FromSeconds(-1) }));

        // vLLM has no well-known address, and an unknown name must not default to OpenAI (its key would be sent there).
        Assert.Throws<ArgumentException>("options.Endpoint", () => new OpenAICompatibleChatClient(new() { Model = "m", ProviderName = "vllm" }));
        Assert.Throws<ArgumentException>("options.Endpoint", () => new OpenAICompatibleChatClient(new() { Model = "m", ProviderName = "my-proxy" }));
        Assert.Throws<ArgumentException>("options.Endpoint", () => new OpenAICompatibleChatClient(new() { Model = "m", Endpoint = new Uri("ftp://example.com/v1") }));
        Assert.Throws<ArgumentException>("options.Endpoint", () => new OpenAICompatibleChatClient(new() { Model = "m", Endpoint = new Uri("/v1", UriKind.Relative) }));
    }

    [Fact]
    public void Ctor_InfiniteNetworkTimeout_Accepted()
    {
        using var client = new OpenAICompatibleChatClient(new() { Model = "m", NetworkTimeout = Timeout.InfiniteTimeSpan });
        Assert.NotNull(client.GetService<ChatClientMetadata>());
    }

    [Theory]
    [InlineData("openai", "https://api.openai.com/v1")]
    [InlineData("dashscope", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1")]
    [InlineData("ollama-openai", "http://localhost:11434/v1")]
    [InlineData("groq", "https://api.groq.com/openai/v1")]
    [InlineData("together", "https://api.together.ai/v1")]
    [InlineData("lmstudio", "http://localhost:1234/v1")]
    [InlineData("deepseek", "https://api.deepseek.com/v1")]
    public async Task GetService_NoEndpointConfigured_MetadataNamesProviderPresetEndpointAndModel(string provider, string endpoint)
    {
        var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(OkBody));
        using var client = new OpenAICompatibleChatClient(new() { ProviderName = provider, Model = "some-model", ApiKey = "k" }, new HttpClient(handler));

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(provider, metadata.ProviderName);
        Assert.Equal(new Uri(endpoint), metadata.ProviderUri);
        Assert.Equal("some-model", metadata.DefaultModelId);

        await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(endpoint + "/chat/completions", handler.LastRequest!.RequestUri!.ToString());
    }

    [Fact]
    public void GetService_ReturnsMetadataSelfSdkClientAndNullForKeyOrUnknown()
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)), providerName: "vllm", model: "Qwen/Qwen3-8B");

        var metadata = client.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("vllm", metadata.ProviderName);
        Assert.Equal(new Uri("http://vllm.local:8000/v1"), metadata.ProviderUri);
        Assert.Equal("Qwen/Qwen3-8B", metadata.DefaultModelId);
        Assert.Same(metadata, client.GetService(typeof(ChatClientMetadata)));

        Assert.Same(client, client.GetService<OpenAICompatibleChatClient>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.NotNull(client.GetService<global::OpenAI.Chat.ChatClient>());

        Assert.Null(client.GetService<ChatClientMetadata>("key"));
        Assert.Null(client.GetService<OpenAICompatibleChatClient>("key"));
        Assert.Null(client.GetService<IChatClient>("key"));
        Assert.Null(client.GetService<string>());
        Assert.Throws<ArgumentNullException>("serviceType", () => client.GetService(null!));
    }

    [Fact]
    public async Task GetResponseAsync_WithKeyOrganizationAndProject_SendsThemAsHeaders()
    {
        var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(OkBody));
        using var client = new OpenAICompatibleChatClient(
            new() { Model = "gpt-4o-mini", ApiKey = TestClients.ApiKey, Organization = "org-abc", Project = "proj_123" },
            new HttpClient(handler));

        await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);

        var request = handler.LastRequest!;
        Assert.Equal("Bearer", request.Headers.Authorization?.Scheme);
        Assert.Equal(TestClients.ApiKey, request.Headers.Authorization?.Parameter);
        Assert.Equal("org-abc", Assert.Single(request.Headers.GetValues("OpenAI-Organization")));
        Assert.Equal("proj_123", Assert.Single(request.Headers.GetValues("OpenAI-Project")));
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.openai.com/v1/chat/completions", request.RequestUri!.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task GetResponseAsync_NoKey_SendsNoAuthorizationHeader(string? apiKey)
    {
        var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(OkBody));
        using var client = TestClients.Create(handler, providerName: "ollama-openai", apiKey: apiKey);

        var response = await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("ok", response.Text);
        Assert.Null(handler.LastRequest!.Headers.Authorization);
        Assert.False(handler.LastRequest.Headers.Contains("OpenAI-Organization"));
        Assert.Equal("http://localhost:11434/v1/chat/completions", handler.LastRequest.RequestUri!.ToString());
    }

    [Fact]
    public async Task GetResponseAsync_ModelIdInOptions_OverridesDefaultModel()
    {
        var handler = new VerbatimHttpHandler("""{"messages":[{"role":"user","content":"hi"}],"model":"gpt-4.1"}""", VerbatimHttpHandler.Utf8(OkBody));
        using var client = TestClients.Create(handler);

        await client.GetResponseAsync("hi", new ChatOptions { ModelId = "gpt-4.1" }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task GetResponseAsync_AdditionalProperties_SentAsBodyFieldsExceptDottedNames()
    {
        var handler = new VerbatimHttpHandler(
            """
            {"messages":[{"role":"user","content":"hi"}],"model":"qwen3-max","enable_thinking":true,"thinking_budget":100,
             "chat_template_kwargs":{"enable_thinking":false},"top_k":20,"stop_token_ids":null}
            """,
            VerbatimHttpHandler.Utf8(OkBody));
        using var client = TestClients.Create(handler, model: "qwen3-max", providerName: "dashscope");
        var options = new ChatOptions
        {
            AdditionalProperties = new()
            {
                ["enable_thinking"] = true,
                ["thinking_budget"] = 100,
                ["chat_template_kwargs"] = new Dictionary<string, object?> { ["enable_thinking"] = false },
                ["top_k"] = System.Text.Json.JsonDocument.Parse("20").RootElement,
                ["stop_token_ids"] = null,
                ["llmadapters.tenant"] = "tenant-1",
            },
        };

        await client.GetResponseAsync("hi", options, TestContext.Current.CancellationToken);

        Assert.Equal(6, options.AdditionalProperties.Count);
        Assert.Null(options.RawRepresentationFactory);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AdditionalPropertiesAndCallerFactory_BothApplyCallerWins()
    {
        var handler = new VerbatimHttpHandler(
            """
            {"messages":[{"role":"user","content":"hi"}],"model":"m","stream":true,"stream_options":{"include_usage":true},"seed":7,"enable_thinking":false}
            """,
            Fixture.Bytes("openai/stream-text-usage.sse"),
            "text/event-stream");
        using var client = TestClients.Create(handler, model: "m", providerName: "vllm");
        var options = new ChatOptions
        {
            AdditionalProperties = new() { ["enable_thinking"] = true },
            RawRepresentationFactory = _ =>
            {
                var raw = new global::OpenAI.Chat.ChatCompletionOptions();
#pragma warning disable SCME0001
                raw.Patch.Set("$.enable_thinking"u8, false);
                raw.Patch.Set("$.seed"u8, 7);
#pragma warning restore SCME0001
                return raw;
            },
        };

        var updates = await FixtureReplayTests.ToListAsync(client.GetStreamingResponseAsync("hi", options, TestContext.Current.CancellationToken));

        Assert.Equal("Hello! How can I assist you today?", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task GetResponseAsync_Concurrent_EachRequestAnswered()
    {
        var handler = new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.OK, OkBody));
        using var client = TestClients.Create(handler);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal("ok", r.Text));
    }
}

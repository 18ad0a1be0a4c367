// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>Construction, metadata, headers and endpoint.</summary>
public sealed class AnthropicChatClientTests
{
    [Fact]
    public void Ctor_InvalidArgs_Throws()
    {
        Assert.Throws<ArgumentNullException>("options", () => new AnthropicChatClient(null!));
        Assert.Throws<ArgumentException>("options.Version", () => new AnthropicChatClient(new AnthropicChatClientOptions { Version = " " }));
        Assert.Throws<ArgumentOutOfRangeException>("options.DefaultMaxOutputTokens", () => new AnthropicChatClient(new AnthropicChatClientOptions { DefaultMaxOutputTokens = 0 }));
        Assert.Throws<ArgumentException>("options", () => new AnthropicChatClient(new AnthropicChatClientOptions { Endpoint = new Uri("/relative", UriKind.Relative) }));
    }

    [Fact]
    public void GetService_ReturnsMetadataAndSelf_NullWithKey()
    {
        using var client = new AnthropicChatClient(new AnthropicChatClientOptions { Model = "claude-sonnet-4-5" });

        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("anthropic", metadata!.ProviderName);
        Assert.Equal(new Uri("https://api.anthropic.com"), metadata.ProviderUri);
        Assert.Equal("claude-sonnet-4-5", metadata.DefaultModelId);
        Assert.Same(client, client.GetService<AnthropicChatClient>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("key"));
        Assert.Null(client.GetService<HttpClient>());
    }

    [Fact]
    public async Task GetResponseAsync_Default_PostsToV1MessagesWithHeaders()
    {
        var handler = JsonHandler(null, "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler);

        await client.GetResponseAsync("Hi", cancellationToken: Ct);

        var request = handler.LastRequest!;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://api.anthropic.com/v1/messages"), request.RequestUri);
        Assert.Equal(ApiKey, Assert.Single(request.Headers.GetValues("x-api-key")));
        Assert.Equal("2023-06-01", Assert.Single(request.Headers.GetValues("anthropic-version")));
        Assert.False(request.Headers.Contains("anthropic-beta"));
        Assert.False(request.Headers.Contains("Authorization"));
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        VerbatimHttpHandler.AssertJsonEqual("""{"model":"claude-haiku-4-5","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}""", handler.LastRequestBody!);
    }

    [Fact]
    public async Task GetResponseAsync_ConfiguredEndpointVersionBetas_Used()
    {
        var handler = JsonHandler(null, "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler, o =>
        {
            o.Endpoint = new Uri("http://localhost:5000/anthropic/");
            o.Version = "2024-01-01";
            o.Betas.Add("files-api-2025-04-14");
            o.Betas.Add("context-1m-2025-08-07");
            o.ApiKey = null;
        });

        await client.GetResponseAsync("Hi", cancellationToken: Ct);

        var request = handler.LastRequest!;
        Assert.Equal(new Uri("http://localhost:5000/anthropic/v1/messages"), request.RequestUri);
        Assert.Equal("2024-01-01", Assert.Single(request.Headers.GetValues("anthropic-version")));
        Assert.Equal("files-api-2025-04-14,context-1m-2025-08-07", Assert.Single(request.Headers.GetValues("anthropic-beta")));
        Assert.False(request.Headers.Contains("x-api-key"));
    }

    [Fact]
    public async Task GetResponseAsync_EndpointEndingInV1_NotDoubled()
    {
        var handler = JsonHandler(null, "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler, o => o.Endpoint = new Uri("https://proxy.example/v1"));

        await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(new Uri("https://proxy.example/v1/messages"), handler.LastRequest!.RequestUri);
    }

    [Fact]
    public async Task GetResponseAsync_NoModel_Throws()
    {
        using var client = CreateClient(JsonHandler(null, "nonstream-tool-result-followup.json"), o => o.Model = null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
    }

    [Fact]
    public async Task GetResponseAsync_CreatedAt_FromTimeProvider()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        using var client = CreateClient(JsonHandler(null, "nonstream-tool-result-followup.json"), o => o.TimeProvider = clock);

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(now, response.CreatedAt);
        Assert.Equal(now, response.Messages[0].CreatedAt);
    }

    [Fact]
    public void Dispose_WithCallerHttpClient_LeavesItUsable()
    {
        using var http = new HttpClient(JsonHandler(null, "nonstream-tool-result-followup.json"));
        var client = new AnthropicChatClient(new AnthropicChatClientOptions { Model = "m" }, http);

        client.Dispose();

        Assert.Equal(TimeSpan.FromSeconds(100), http.Timeout);
        http.Timeout = TimeSpan.FromSeconds(5); // would throw ObjectDisposedException if disposed
    }
}

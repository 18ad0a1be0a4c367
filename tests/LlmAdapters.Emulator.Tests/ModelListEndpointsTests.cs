// Licensed under the MIT License.

using System.Net;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator.Tests;

/// <summary>The endpoints health checks call: OpenAI and Anthropic <c>GET /v1/models</c>, Ollama <c>GET /api/tags</c>.</summary>
public sealed class ModelListEndpointsTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, path));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request, Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    [Fact]
    public async Task OpenAIModels_WithKey_ListsModelsInOpenAIShape()
    {
        var (status, body) = await GetAsync("v1/models", ("Authorization", "Bearer sk-test"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", (string?)body["object"]);
        Assert.Contains(body["data"]!.AsArray(), m => (string?)m!["id"] == "gpt-4o-mini" && (string?)m["object"] == "model");
    }

    [Fact]
    public async Task OpenAIModels_NoKey_ListsModels_AsKeylessCompatibleServersDo()
    {
        var (status, body) = await GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEmpty(body["data"]!.AsArray());
    }

    [Fact]
    public async Task OpenAIModels_InvalidKey_Is401WithOpenAIError()
    {
        var (status, body) = await GetAsync("v1/models", ("Authorization", "Bearer invalid-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", (string?)body["error"]!["code"]);
    }

    [Fact]
    public async Task AnthropicModels_WithAnthropicHeaders_ListsModelsInAnthropicShape()
    {
        var (status, body) = await GetAsync("v1/models", ("x-api-key", "sk-ant-test"), ("anthropic-version", "2023-06-01"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((bool)body["has_more"]!);
        Assert.Contains(body["data"]!.AsArray(), m => (string?)m!["id"] == "claude-haiku-4-5" && (string?)m["type"] == "model");
    }

    [Fact]
    public async Task AnthropicModels_InvalidKey_Is401WithAnthropicError()
    {
        var (status, body) = await GetAsync("v1/models", ("x-api-key", "invalid"), ("anthropic-version", "2023-06-01"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", (string?)body["error"]!["type"]);
    }

    [Fact]
    public async Task OllamaTags_ListsThePulledModels()
    {
        var (status, body) = await GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body["models"]!.AsArray(), m => (string?)m!["name"] == "llama3.2:latest");
    }

    [Fact]
    public async Task ModelLists_AreNotCountedAsProviderRequests()
    {
        await GetAsync("api/tags");
        await GetAsync("v1/models", ("Authorization", "Bearer k"));

        Assert.Equal(0, _server.RequestCount);
    }
}

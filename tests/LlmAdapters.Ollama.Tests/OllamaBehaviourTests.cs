// Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Ollama.Tests.TestSupport;

namespace LlmAdapters.Ollama.Tests;

/// <summary>Where OllamaSharp goes wrong, and the rest of the adapter's contract: ids, arguments, errors, keys, endpoints.</summary>
public sealed class OllamaBehaviourTests
{
    private const string Done = """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":1,"eval_count":1}""";

    [Fact]
    public async Task MidStreamErrorLine_ThrowsTheTaxonomyException_NeverASilentEnd()
    {
        var body = """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hel"},"done":false}""" + "\n" +
                   """{"error":"an error was encountered while running the model: unexpected EOF"}""" + "\n";
        using var client = CreateClient(Respond(HttpStatusCode.OK, body, "application/x-ndjson"));
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                received.Add(update);
            }
        });

        Assert.Equal("Hel", Assert.Single(received).Text);
        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains("unexpected EOF", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamWithoutDoneLine_IsIncomplete()
    {
        var body = """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hel"},"done":false}""" + "\n";
        using var client = CreateClient(Respond(HttpStatusCode.OK, body, "application/x-ndjson"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Contains("done", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerToolCallIds_AreKept_AndMissingOnesAreDistinct()
    {
        var body = """
            {"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[
              {"id":"call_server_1","function":{"name":"a","arguments":{"x":1}}},
              {"function":{"name":"b","arguments":{}}},
              {"function":{"name":"c"}},
              {"function":{"name":"d","arguments":null}}]},"done":true,"done_reason":"stop"}
            """;
        using var client = CreateClient(Respond(HttpStatusCode.OK, body));

        var response = await client.GetResponseAsync("hi", cancellationToken: Ct);

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["a", "b", "c", "d"], calls.Select(c => c.Name));
        Assert.Equal("call_server_1", calls[0].CallId);
        Assert.Equal(4, calls.Select(c => c.CallId).Distinct().Count());
        Assert.All(calls, c => Assert.False(string.IsNullOrEmpty(c.CallId)));
        Assert.All(calls.Skip(1), c => Assert.Empty(c.Arguments!));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task Key_IsSentAsBearer_AndNeverInErrors()
    {
        const string key = "ollama-proxy-key-0123456789";
        HttpRequestMessage? seen = null;
        using var handler = new StubHttpHandler(request =>
        {
            seen = request;
            return new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"error":"bad key ollama-proxy-key-0123456789"}""") };
        });
        using var client = CreateClient(handler, o => o.ApiKey = key);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal("Bearer " + key, seen!.Headers.Authorization!.ToString());
        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
        Assert.DoesNotContain(key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKey_NoAuthorizationHeader()
    {
        using var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(Done));
        using var client = CreateClient(handler);

        await client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Null(handler.LastRequest!.Headers.Authorization);
        Assert.Equal("http://localhost:11434/api/chat", handler.LastRequest.RequestUri!.ToString());
    }

    [Fact]
    public async Task RefusedConnection_SaysOllamaIsNotRunning()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new OllamaChatClient(new OllamaChatClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}"), Model = "llama3.2" });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Contains("Ollama does not seem to be running at http://127.0.0.1:" + port, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAICompatibleEndpoint_IsRefusedWithAClearMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OllamaChatClient(new OllamaChatClientOptions { Endpoint = new Uri("http://localhost:11434/v1") }));
        Assert.Contains("ollama-openai", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionsAndKeepAlive_AdditionalPropertiesGoToOptions_DottedKeysStayLocal()
    {
        using var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(Done));
        using var client = CreateClient(handler, o =>
        {
            o.KeepAlive = "10m";
            o.ContextLength = 8192;
        });

        await client.GetResponseAsync("hi", new ChatOptions
        {
            TopK = 40,
            TopP = 0.9f,
            MaxOutputTokens = 64,
            AdditionalProperties = new() { ["num_gpu"] = 1, ["llmadapters.tenant"] = "t1", ["keep_alive"] = "1h" },
        }, Ct);

        var sent = JsonNode.Parse(handler.LastRequestBody!)!;
        Assert.Equal("1h", (string)sent["keep_alive"]!);
        Assert.Equal(
            JsonNode.Parse("""{"top_p":0.9,"top_k":40,"num_predict":64,"num_ctx":8192,"num_gpu":1}"""),
            sent["options"],
            JsonNode.DeepEquals);
        Assert.DoesNotContain("tenant", handler.LastRequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_NamesOllamaAndTheEndpoint()
    {
        using var client = new OllamaChatClient(new OllamaChatClientOptions { Model = "llama3.2" });
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal("ollama", metadata.ProviderName);
        Assert.Equal(new Uri("http://localhost:11434"), metadata.ProviderUri);
        Assert.Equal("llama3.2", metadata.DefaultModelId);
        Assert.Same(client, client.GetService<OllamaChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("key"));
    }
}

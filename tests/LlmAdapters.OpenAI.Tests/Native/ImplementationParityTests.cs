// Licensed under the MIT License.

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Native;

/// <summary>
/// Every recorded OpenAI and DashScope compatible-mode exchange through both implementations: each must send the recorded
/// request and map the answer to the same text, reasoning, tool calls, finish reason, ids, model and usage (cached and
/// reasoning tokens included), and the same error.
/// </summary>
public sealed class ImplementationParityTests
{
    private static readonly AIFunctionDeclaration s_getPersonAge = AIFunctionFactory.CreateDeclaration(
        "GetPersonAge",
        "Gets the age of the specified person.",
        JsonDocument.Parse("""
            {"type":"object","required":["personName"],"properties":{"personName":{"description":"The person whose age is being requested","type":"string"}},"additionalProperties":false}
            """).RootElement);

    private static readonly AIFunctionDeclaration s_weather = AIFunctionFactory.CreateDeclaration(
        "weather",
        "Gets the weather in a location.",
        JsonDocument.Parse("""{"type":"object","required":["location"],"properties":{"location":{"type":"string"}}}""").RootElement);

    public static TheoryData<string> ResponseFixtures =>
    [
        "openai/nonstream-text", "openai/nonstream-reasoning-content", "openai/nonstream-tool-call",
        "openai/stream-text-usage", "openai/stream-tool-call", "openai/vllm-stream-reasoning-field",
        "dashscope/compat-nonstream-text", "dashscope/compat-nonstream-reasoning", "dashscope/compat-nonstream-tool-call",
        "dashscope/compat-stream-text", "dashscope/compat-stream-reasoning",
    ];

    public static TheoryData<string> ErrorFixtures =>
    [
        "error-400-content-filter", "error-400-context-length", "error-401-invalid-key", "error-404-model-not-found", "error-404-vllm-model",
        "error-429-insufficient-quota", "error-429-rate-limit", "error-500-server", "error-503-overloaded", "vllm-error-400-extra-forbidden",
    ];

    [Theory]
    [MemberData(nameof(ResponseFixtures))]
    public async Task Fixture_BothImplementations_SendTheRecordedRequestAndMapTheSame(string fixture)
    {
        var sdk = await ReplayAsync(NativeTestClients.Sdk, fixture);
        var native = await ReplayAsync(NativeTestClients.Native, fixture);

        Assert.Equal(sdk, native);
        Assert.Contains("finish=", native, StringComparison.Ordinal);
        Assert.Contains("usage=", native, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ErrorFixtures))]
    public async Task ErrorFixture_BothImplementations_ThrowTheSameProviderException(string fixture)
    {
        var status = fixture.StartsWith("vllm", StringComparison.Ordinal) ? 400 : int.Parse(fixture.AsSpan(6, 3), CultureInfo.InvariantCulture);
        var body = Fixture.Text("openai/" + fixture + ".json");
        var results = new List<string>();
        foreach (var implementation in new[] { NativeTestClients.Sdk, NativeTestClients.Native })
        {
            foreach (var streaming in new[] { false, true })
            {
                using var client = NativeTestClients.Create(implementation, new StubHttpHandler(_ => TestClients.Json((HttpStatusCode)status, body)));
                var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
                {
                    if (streaming)
                    {
                        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
                        {
                            Assert.Fail("No update expected: " + update);
                        }
                    }
                    else
                    {
                        await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
                    }
                });
                results.Add($"{ex.Kind}|{(int?)ex.StatusCode}|{ex.ErrorType}|{ex.ErrorCode}|{ex.ProviderMessage}|{ex.IsTransient}|{ex.RetryAfter}");
            }
        }

        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
        Assert.Equal(results[0], results[3]);
    }

    [Theory]
    [InlineData(NativeTestClients.Sdk)]
    [InlineData(NativeTestClients.Native)]
    public async Task GetStreamingResponseAsync_ErrorChunkAfterA200_Throws(string implementation)
    {
        const string Sse = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"par"},"finish_reason":null}]}

            data: {"error":{"message":"The engine is overloaded","type":"server_error","code":503}}


            """;
        using var client = NativeTestClients.Create(implementation, new StubHttpHandler(_ => TestClients.Sse(Sse)), providerName: "vllm", apiKey: null);

        var text = new StringBuilder();
        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
                text.Append(update.Text);
            }
        });

        Assert.Equal("par", text.ToString());
        Assert.Equal("The engine is overloaded", ex.ProviderMessage);
        Assert.Equal("server_error", ex.ErrorType);
    }

    [Theory]
    [InlineData(NativeTestClients.Sdk)]
    [InlineData(NativeTestClients.Native)]
    public async Task GetResponseAsync_ExtraBodyFields_SentTopLevelAndDottedOnesKeptLocal(string implementation)
    {
        var recorder = new VerbatimHttpHandler(null, Fixture.Bytes("openai/nonstream-text.json"));
        using var client = NativeTestClients.Create(implementation, recorder, providerName: "dashscope");

        await client.GetResponseAsync(
            "hi",
            new ChatOptions { AdditionalProperties = new() { ["enable_thinking"] = true, ["top_k"] = 20, ["llmadapters.tenant"] = "t1" } },
            TestContext.Current.CancellationToken);

        using var request = JsonDocument.Parse(recorder.LastRequestBody!);
        Assert.True(request.RootElement.GetProperty("enable_thinking").GetBoolean());
        Assert.Equal(20, request.RootElement.GetProperty("top_k").GetInt32());
        Assert.False(request.RootElement.TryGetProperty("llmadapters.tenant", out _));
    }

    private static async Task<string> ReplayAsync(string implementation, string fixture)
    {
        var streaming = fixture.Contains("stream-", StringComparison.Ordinal) && !fixture.Contains("nonstream", StringComparison.Ordinal);
        var requestPath = fixture + ".request.json";
        var expectedRequest = Fixture.Exists(requestPath) ? Fixture.Text(requestPath) : null;
        var handler = new VerbatimHttpHandler(expectedRequest, Fixture.Bytes(fixture + (streaming ? ".sse" : ".json")), streaming ? "text/event-stream" : "application/json");
        var (model, provider, apiKey) = fixture switch
        {
            _ when fixture.StartsWith("dashscope", StringComparison.Ordinal) => ("qwen3-max", "dashscope", (string?)TestClients.ApiKey),
            "openai/nonstream-reasoning-content" => ("gpt-oss-120b", "vllm", null),
            "openai/vllm-stream-reasoning-field" => ("Qwen/Qwen3-8B", "vllm", null),
            _ => ("gpt-4o-mini", "openai", TestClients.ApiKey),
        };
        var (messages, options) = fixture switch
        {
            "openai/nonstream-text" => ("hello", new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 10 }),
            "openai/stream-text-usage" => ("hello", new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 20 }),
            "openai/nonstream-tool-call" or "openai/stream-tool-call" => ("How old is Alice?", new ChatOptions { Tools = [s_getPersonAge] }),
            "dashscope/compat-nonstream-tool-call" => ("What is the weather in San Francisco?", new ChatOptions { Tools = [s_weather] }),
            _ => ("hello", null),
        };

        using var client = NativeTestClients.Create(implementation, handler, model, provider, apiKey);
        if (!streaming)
        {
            var response = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
            return Describe(response) + "|uri=" + handler.LastRequest!.RequestUri;
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        var streamed = new StringBuilder();
        streamed.Append("usages=").Append(updates.SelectMany(u => u.Contents).OfType<UsageContent>().Count());
        streamed.Append("|ids=").AppendJoin(',', updates.Select(u => u.ResponseId).Distinct());
        streamed.Append("|callAtFinish=").Append(updates.Where(u => u.Contents.OfType<FunctionCallContent>().Any()).Select(u => u.FinishReason?.Value).FirstOrDefault());
        streamed.Append("|reasoningBeforeText=").Append(
            updates.FindLastIndex(u => u.Contents.OfType<TextReasoningContent>().Any()) < Math.Max(0, updates.FindIndex(u => u.Text.Length > 0)));
        return Describe(updates.ToChatResponse()) + "|" + streamed + "|uri=" + handler.LastRequest!.RequestUri;
    }

    private static string Describe(ChatResponse response)
    {
        var text = new StringBuilder();
        text.Append("id=").Append(response.ResponseId).Append("|model=").Append(response.ModelId).Append("|created=").Append(response.CreatedAt?.ToUnixTimeSeconds());
        text.Append("|finish=").Append(response.FinishReason?.Value);
        foreach (var message in response.Messages)
        {
            text.Append("|msg ").Append(message.Role.Value).Append(' ').Append(message.MessageId);
            foreach (var content in message.Contents)
            {
                text.Append("|  ").Append(content switch
                {
                    TextReasoningContent r => "reasoning:" + r.Text,
                    TextContent t => "text:" + t.Text,
                    FunctionCallContent c => "call:" + c.CallId + " " + c.Name + " " + JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions) + " " + c.Exception?.GetType().Name,
                    UsageContent => string.Empty,
                    _ => content.GetType().Name,
                });
            }
        }

        var usage = response.Usage;
        text.Append("|usage=").Append(usage?.InputTokenCount).Append(',').Append(usage?.OutputTokenCount).Append(',').Append(usage?.TotalTokenCount)
            .Append(",cached=").Append(usage?.CachedInputTokenCount).Append(",reasoning=").Append(usage?.ReasoningTokenCount);
        return text.ToString();
    }
}

// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator.Tests;

/// <summary>The emulator's Gemini dialect and its faults, over real HTTP with no adapter in between.</summary>
public sealed class GeminiDialectTests : IAsyncLifetime
{
    private const string WeatherTool = """[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}]}]""";

    private EmulatorServer _server = null!;
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json, string model = "gemini-2.5-flash", string method = "generateContent", string query = "", string? key = "k")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.GeminiEndpoint, $"v1beta/models/{model}:{method}{query}"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("x-goog-api-key", key);
        }

        using var response = await _http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static string User(string text) => $$"""{"contents":[{"role":"user","parts":[{"text":{{JsonValue.Create(text).ToJsonString()}}}]}]}""";

    [Fact]
    public async Task GenerateContent_Deterministic_WithCandidatesUsageAndModel()
    {
        var (status, body) = await PostAsync(User("Hello"));
        var (_, again) = await PostAsync(User("Hello"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(body, again);
        var json = JsonNode.Parse(body)!;
        Assert.StartsWith("You said \"Hello\".", (string)json["candidates"]![0]!["content"]!["parts"]![0]!["text"]!, StringComparison.Ordinal);
        Assert.Equal("STOP", (string)json["candidates"]![0]!["finishReason"]!);
        Assert.Equal("gemini-2.5-flash", (string)json["modelVersion"]!);
        var usage = json["usageMetadata"]!;
        Assert.Equal((int)usage["promptTokenCount"]! + (int)usage["candidatesTokenCount"]!, (int)usage["totalTokenCount"]!);
    }

    [Fact]
    public async Task Stream_DataOnlyEvents_CumulativeUsage_FinishReasonOnTheLastChunk()
    {
        var (status, body) = await PostAsync(User("Tell me about streaming"), method: "streamGenerateContent", query: "?alt=sse");

        Assert.Equal(HttpStatusCode.OK, status);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(events.Length > 3);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        var chunks = events.Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.All(chunks[..^1], c => Assert.Null(c["candidates"]![0]!["finishReason"]));
        Assert.Equal("STOP", (string)chunks[^1]["candidates"]![0]!["finishReason"]!);
        Assert.All(chunks, c => Assert.NotNull(c["usageMetadata"]!["promptTokenCount"]));
    }

    [Fact]
    public async Task Stream_WithoutAltSse_IsRefused()
    {
        var (status, _) = await PostAsync(User("Hi"), method: "streamGenerateContent");

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Key_MissingOrInTheUrl_IsRefused()
    {
        var (missing, missingBody) = await PostAsync(User("Hi"), key: null);
        var (inUrl, _) = await PostAsync(User("Hi"), query: "?key=abc");

        Assert.Equal(HttpStatusCode.Forbidden, missing);
        Assert.Equal("PERMISSION_DENIED", (string)JsonNode.Parse(missingBody)!["error"]!["status"]!);
        Assert.Equal(HttpStatusCode.BadRequest, inUrl);
    }

    [Fact]
    public async Task Roles_OtherThanUserAndModel_AreRefused()
    {
        var (status, body) = await PostAsync("""{"contents":[{"role":"assistant","parts":[{"text":"Hi"}]}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_ARGUMENT", (string)JsonNode.Parse(body)!["error"]!["status"]!);
    }

    [Fact]
    public async Task Gemini3_ReplayedCallWithoutItsSignature_IsRefused_WithIt_Answered()
    {
        var (_, first) = await PostAsync($$"""{"contents":[{"role":"user","parts":[{"text":"Please call get_weather with city=Paris"}]}],"tools":{{WeatherTool}}}""", "gemini-3-pro-preview");
        var callPart = JsonNode.Parse(first)!["candidates"]![0]!["content"]!["parts"]![0]!;
        Assert.Equal("get_weather", (string)callPart["functionCall"]!["name"]!);
        var signature = (string)callPart["thoughtSignature"]!;

        string Follow(string? sig)
        {
            var signaturePart = sig is null ? string.Empty : ",\"thoughtSignature\":\"" + sig + "\"";
            return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Please call get_weather with city=Paris\"}]}," +
                "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}" + signaturePart + "}]}," +
                "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"result\":\"Sunny\"}}}]}]," +
                "\"tools\":" + WeatherTool + "}";
        }

        var (refused, refusal) = await PostAsync(Follow(null), "gemini-3-pro-preview");
        var (answered, answer) = await PostAsync(Follow(signature), "gemini-3-pro-preview");

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("thought_signature", refusal, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answered);
        Assert.Contains("The tool returned: Sunny", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncludeThoughts_ThoughtPartsAndASignature()
    {
        var (_, body) = await PostAsync("""{"contents":[{"role":"user","parts":[{"text":"Why?"}]}],"generationConfig":{"thinkingConfig":{"includeThoughts":true}}}""");

        var json = JsonNode.Parse(body)!;
        var parts = json["candidates"]![0]!["content"]!["parts"]!.AsArray();
        Assert.True((bool)parts[0]!["thought"]!);
        Assert.NotNull(parts[1]!["thoughtSignature"]);
        Assert.True((int)json["usageMetadata"]!["thoughtsTokenCount"]! > 0);
    }

    [Theory]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(404, "NOT_FOUND")]
    public async Task Faults_AnswerTheGoogleRpcStatusEnvelope(int code, string word)
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "gemini", StatusCode = code });

        var (status, body) = await PostAsync(User("Hi"));

        Assert.Equal(code, (int)status);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal(code, (int)error["code"]!);
        Assert.Equal(word, (string)error["status"]!);
    }

    [Fact]
    public async Task Faults_ErrorTypeMidStream_SendsAnErrorChunk()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "gemini", ErrorType = "RESOURCE_EXHAUSTED", CutAfterChunks = 2 });

        var (_, body) = await PostAsync(User("Tell me about streaming"), method: "streamGenerateContent", query: "?alt=sse");

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, events.Length);
        Assert.Equal(429, (int)JsonNode.Parse(events[2]["data: ".Length..])!["error"]!["code"]!);
    }
}

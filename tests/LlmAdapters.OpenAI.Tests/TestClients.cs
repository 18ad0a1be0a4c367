// Licensed under the MIT License.

using System.Net;
using System.Text;

namespace LlmAdapters.OpenAI.Tests;

/// <summary>Builds clients over fake handlers.</summary>
internal static class TestClients
{
    /// <summary>A key shaped like a real OpenAI project key (not a real key).</summary>
    public const string ApiKey = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";

    public static OpenAICompatibleChatClient Create(
        HttpMessageHandler handler,
        string model = "gpt-4o-mini",
        string providerName = "openai",
        string? apiKey = ApiKey,
        Uri? endpoint = null,
        TimeProvider? timeProvider = null,
        TimeSpan? networkTimeout = null) =>
        new(
            new OpenAICompatibleChatClientOptions
            {
                ProviderName = providerName,
                Model = model,
                ApiKey = apiKey,
                Endpoint = endpoint ?? (providerName == "vllm" ? new Uri("http://vllm.local:8000/v1") : null),
                TimeProvider = timeProvider ?? TimeProvider.System,
                NetworkTimeout = networkTimeout ?? TimeSpan.FromMinutes(10),
            },
            new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });

    public static HttpResponseMessage Sse(string body) => Sse(Encoding.UTF8.GetBytes(body));

    public static HttpResponseMessage Sse(byte[] body)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return response;
    }
}

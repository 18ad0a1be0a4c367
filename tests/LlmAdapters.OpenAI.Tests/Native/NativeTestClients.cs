// Licensed under the MIT License.

using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Native;

/// <summary>Builds either implementation over a fake handler, with the same options as <see cref="TestClients.Create"/>.</summary>
internal static class NativeTestClients
{
    public const string Native = "native";
    public const string Sdk = "sdk";

    public static IChatClient Create(string implementation, HttpMessageHandler handler, string model = "gpt-4o-mini", string providerName = "openai", string? apiKey = TestClients.ApiKey)
    {
        if (implementation == Sdk)
        {
            return TestClients.Create(handler, model, providerName, apiKey);
        }

        return new OpenAIChatCompletionsClient(
            new OpenAIChatCompletionsClientOptions
            {
                Common = new OpenAICompatibleChatClientOptions
                {
                    ProviderName = providerName,
                    Model = model,
                    ApiKey = apiKey,
                    Endpoint = providerName == "vllm" ? new Uri("http://vllm.local:8000/v1") : null,
                },
            },
            new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
    }
}

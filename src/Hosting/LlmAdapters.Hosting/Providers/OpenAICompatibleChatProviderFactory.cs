// Licensed under the MIT License.

using LlmAdapters.OpenAI;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>A provider spoken through the OpenAI-compatible adapter: OpenAI itself, vLLM, DashScope compatible mode, Ollama /v1….</summary>
internal sealed class OpenAICompatibleChatProviderFactory(string name, Uri? defaultEndpoint, string? apiKeyEnvironmentVariable, bool requiresApiKey, string? defaultModel) : IBuiltInChatProviderFactory
{
    public string Name => name;

    public string? ApiKeyEnvironmentVariable => apiKeyEnvironmentVariable;

    public bool RequiresApiKey => requiresApiKey;

    public Uri? DefaultEndpoint => defaultEndpoint;

    public string? DefaultModel => defaultModel;

    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var timeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        return new OpenAICompatibleChatClient(
            new OpenAICompatibleChatClientOptions
            {
                ProviderName = name,
                Endpoint = settings.Endpoint,
                ApiKey = settings.ApiKey,
                Organization = context.Configuration["Organization"],
                Project = context.Configuration["Project"],
                Model = settings.Model,
                NetworkTimeout = settings.NetworkTimeout,
                TimeProvider = timeProvider,
            },
            context.HttpClient);
    }
}

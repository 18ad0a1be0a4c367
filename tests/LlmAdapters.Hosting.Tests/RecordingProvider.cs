// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting.Tests;

/// <summary>A third-party provider, registered without touching the library: it records what it was given and answers "ok".</summary>
internal sealed class RecordingProvider : IChatProviderFactory
{
    public RecordingProvider(string name = "recording") => Name = name;

    public string Name { get; }

    public string? ApiKeyEnvironmentVariable => "RECORDING_API_KEY";

    public bool RequiresApiKey { get; init; }

    public Uri? DefaultEndpoint => new("http://recording.invalid/");

    public List<ChatProviderContext> Contexts { get; } = [];

    public List<ChatOptions?> Requests { get; } = [];

    public List<List<ChatMessage>> Messages { get; } = [];

    public IChatClient CreateClient(ChatProviderContext context)
    {
        Contexts.Add(context);
        return new TestChatClient
        {
            Metadata = new ChatClientMetadata(Name, context.Settings.Endpoint, context.Settings.Model),
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                Messages.Add([.. messages]);
                Requests.Add(options?.Clone());
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = options?.ModelId });
            },
        };
    }
}

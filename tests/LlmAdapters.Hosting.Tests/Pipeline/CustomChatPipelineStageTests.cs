// Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Pipeline;

/// <summary>
/// A third party's stage, written exactly as the built-in ones: a <see cref="ChatPipelineStage{TOptions}"/> that reads its
/// section into its options once per client, and builds its middleware from them.
/// </summary>
public sealed class CustomChatPipelineStageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(CountingStage stage, params (string Key, string? Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "recording",
            ["AI:Model"] = "model-a",
            ["AI:Pipeline:Prefix:Text"] = "[shared] ",
            ["AI:Clients:main:Pipeline:Fallback:Clients:0"] = "backup",
            ["AI:Clients:main:Pipeline:Prefix:Text"] = "[main] ",
            ["AI:Clients:backup:Model"] = "model-b",
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddChatProvider(new RecordingProvider());
        services.AddChatPipelineStage(stage);
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Stage_ReadsItsSectionOncePerClient_ThroughValidationAndResolutions()
    {
        var stage = new CountingStage();
        await using var services = Build(stage);
        var clients = services.GetRequiredService<ConfiguredChatClients>();

        Assert.Empty(clients.Validate());
        var main = services.GetRequiredKeyedService<IChatClient>("main");      // builds main, and backup's inner stack as its fallback
        var backup = services.GetRequiredKeyedService<IChatClient>("backup");  // reuses backup's plan and inner stack
        _ = services.GetRequiredKeyedService<IChatClient>("main");
        _ = clients.GetClient("backup");
        Assert.Empty(clients.Validate());

        Assert.Equal(1, stage.Reads["default"]);
        Assert.Equal(1, stage.Reads["main"]);
        Assert.Equal(1, stage.Reads["backup"]);
        Assert.Equal("[main] ok", (await main.GetResponseAsync("hi", cancellationToken: Ct)).Text);
        Assert.Equal("[shared] ok", (await backup.GetResponseAsync("hi", cancellationToken: Ct)).Text);
    }

    [Fact]
    public async Task Stage_BadValueAndUnknownKey_ReportedWithTheirPaths()
    {
        var stage = new CountingStage();
        await using var services = Build(stage, ("AI:Clients:main:Pipeline:Prefix:Repeat", "twice"), ("AI:Pipeline:Prefix:Txet", "x"));

        var errors = services.GetRequiredService<ConfiguredChatClients>().Validate("main");

        Assert.Contains(errors, e => e.Contains("AI:Clients:main:Pipeline:Prefix:Repeat", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Pipeline:Prefix:Txet", StringComparison.Ordinal) && e.Contains("'Text'", StringComparison.Ordinal));
        Assert.Equal(1, stage.Reads["main"]);
    }

    /// <summary>Prefixes every answer with <c>Pipeline:Prefix:Text</c>, <c>Repeat</c> times (a whole number, default 1).</summary>
    private sealed class CountingStage : ChatPipelineStage<CountingStage.Options>
    {
        public ConcurrentDictionary<string, int> Reads { get; } = new(StringComparer.Ordinal);

        public override string Name => "Prefix";

        public override int Order => ChatPipelineOrder.ApiKeys + 10; // in the inner stack, next to the adapter

        public override bool IsEnabled(ChatPipelineContext context) => true;

        public override Options Read(ChatPipelineContext context, List<string> errors)
        {
            Reads.AddOrUpdate(context.ClientName, 1, (_, n) => n + 1);
            var repeat = 1;
            if (context.Section["Repeat"] is { } text && !int.TryParse(text, out repeat))
            {
                errors.Add($"{context.SectionPath}:Repeat is '{text}': a whole number.");
            }

            return new Options(context.Section["Text"] ?? string.Empty, repeat);
        }

        public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, Options options) =>
            new PrefixingChatClient(innerClient, string.Concat(Enumerable.Repeat(options.Text, options.Repeat)));

        internal sealed record Options(string Text, int Repeat);
    }

    private sealed class PrefixingChatClient(IChatClient inner, string prefix) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, prefix + response.Text)) { ModelId = response.ModelId };
        }
    }
}

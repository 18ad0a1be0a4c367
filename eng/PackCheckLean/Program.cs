// The lean application of eng/pack-check.sh: LlmAdapters.Hosting and LlmAdapters.Anthropic only. Configures the
// "default" client as an Anthropic client on the emulator whose address is the first argument, through configuration
// alone, and makes one call without streaming and one streamed. Exit code 0 only when both deterministic replies came
// back. Built with other packages (-p:PackCheckPackages=…), it only measures their publish size and prints one line.
#if LEAN_APP
using LlmAdapters;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var endpoint))
{
    Console.Error.WriteLine("Usage: PackCheckLean <anthropic endpoint of a running emulator>");
    return 2;
}

using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(60));
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["AI:Provider"] = "anthropic",
    ["AI:Model"] = "claude-haiku-4-5",
    ["AI:Endpoint"] = endpoint.ToString(),
    ["AI:ApiKey"] = "sk-ant-pack-check-not-a-real-key",
}).Build();

var services = new ServiceCollection();
services.AddLogging();
services.AddAnthropicChatProvider();
services.AddConfiguredChatClients(configuration.GetSection("AI"));
await using var provider = services.BuildServiceProvider();
var problems = provider.GetRequiredService<ConfiguredChatClients>().Validate();
if (problems.Count > 0)
{
    Console.Error.WriteLine("lean app configuration: " + string.Join("; ", problems));
    return 1;
}

var chat = provider.GetRequiredService<IChatClient>();
var response = await chat.GetResponseAsync("Say hello.", cancellationToken: cancellation.Token);
var streamed = new System.Text.StringBuilder();
await foreach (var update in chat.GetStreamingResponseAsync("Say hello again.", cancellationToken: cancellation.Token))
{
    streamed.Append(update.Text);
}

Console.WriteLine($"lean app reply: {response.Text} | streamed: {streamed}");
return response.Text.StartsWith("You said \"Say hello.\"", StringComparison.Ordinal)
    && streamed.ToString().StartsWith("You said \"Say hello again.\"", StringComparison.Ordinal) ? 0 : 1;
#else
Console.WriteLine("size app: " + string.Join(", ", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Where(n => n?.StartsWith("LlmAdapters", StringComparison.Ordinal) == true)));
return 0;
#endif

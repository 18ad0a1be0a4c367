// The pack check's consumer: restores the LlmAdapters meta-package and LlmAdapters.Emulator from artifacts/packages (exact
// version), starts the emulator on a free loopback port, configures the "default" client on it through configuration
// alone, makes one chat call and prints the reply. Exit code 0 only when the emulator's deterministic reply came back.
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using EmulatorServer emulator = await EmulatorServer.StartAsync(cancellationToken: cancellation.Token);

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["AI:Provider"] = "openai",
    ["AI:Model"] = "gpt-4o-mini",
    ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
    ["AI:ApiKey"] = "sk-pack-check-not-a-real-key",
    ["Logging:LogLevel:Default"] = "Warning",
});
builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
using IHost host = builder.Build();

IChatClient chat = host.Services.GetRequiredService<IChatClient>();
ChatResponse response = await chat.GetResponseAsync("Say hello.", cancellationToken: cancellation.Token);

Console.WriteLine($"pack check reply: {response.Text}");
return response.Text.StartsWith("You said \"Say hello.\"", StringComparison.Ordinal) ? 0 : 1;

// The pack check's consumer: restores the LlmAdapters meta-package and LlmAdapters.Emulator from artifacts/packages (exact
// version), starts the emulator on a free loopback port, configures the "default" client on it through configuration
// alone, makes one chat call and prints the reply. Exit code 0 only when the emulator's deterministic reply came back.
// With --serve it only runs the packed emulator on a free loopback port for the lean application (eng/PackCheckLean),
// prints "emulator: <address>" and stops on SIGTERM or Ctrl+C.
using System.Runtime.InteropServices;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args is ["--serve"])
{
    var stop = new TaskCompletionSource();
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
    await using EmulatorServer served = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 });
    Console.WriteLine($"emulator: {served.AnthropicEndpoint}");
    Console.Out.Flush();
    await stop.Task.WaitAsync(TimeSpan.FromMinutes(10));
    return 0;
}

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

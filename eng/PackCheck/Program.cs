// The pack check's consumer: restores LlmAdapters.Hosting from artifacts/packages, configures the "default" client on
// a minimal in-process fake of the OpenAI chat-completions endpoint (the emulator is not packable), makes one chat call
// and prints the reply. Exit code 0 only when the reply is the fake's text.
using System.Net;
using System.Net.Sockets;
using System.Text;
using LlmAdapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

const string Expected = "Hello from the pack check.";
using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));

int port;
using (var probe = new TcpListener(IPAddress.Loopback, 0))
{
    probe.Start();
    port = ((IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
}

using var listener = new HttpListener();
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Start();
var server = ServeOneAsync(listener, cancellation.Token);

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["AI:Provider"] = "openai",
    ["AI:Model"] = "gpt-4o-mini",
    ["AI:Endpoint"] = $"http://127.0.0.1:{port}/v1",
    ["AI:ApiKey"] = "sk-pack-check-not-a-real-key",
    ["AI:Pipeline:Retry:Enabled"] = "false",
    ["Logging:LogLevel:Default"] = "Warning",
});
builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
using IHost host = builder.Build();

IChatClient chat = host.Services.GetRequiredService<IChatClient>();
ChatResponse response = await chat.GetResponseAsync("Say hello.", cancellationToken: cancellation.Token);
await server;

Console.WriteLine($"pack check reply: {response.Text}");
return response.Text == Expected ? 0 : 1;

static async Task ServeOneAsync(HttpListener listener, CancellationToken cancellationToken)
{
    HttpListenerContext context = await listener.GetContextAsync().WaitAsync(cancellationToken);
    using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
    {
        _ = await reader.ReadToEndAsync(cancellationToken);
    }

    string body = $$$"""
        {"id":"chatcmpl-pack","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"{{{Expected}}}"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":3,"completion_tokens":6,"total_tokens":9}}
        """;
    byte[] bytes = Encoding.UTF8.GetBytes(body);
    context.Response.StatusCode = 200;
    context.Response.ContentType = "application/json";
    context.Response.ContentLength64 = bytes.Length;
    await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
    context.Response.Close();
}

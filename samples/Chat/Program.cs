// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using LlmAdapters.Redis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// The chat CLI: <c>dotnet run --project samples/Chat -- "Hello"</c> streams the reply of the configured default
/// client; with no prompt it is an interactive chat. With no provider configured (or a provider with no key and no
/// endpoint that the emulator speaks) it starts the emulator in-process and says so.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: llm-chat [options] [prompt]
          prompt          Sends one prompt and prints the reply; without one, starts an interactive chat (/reset, /exit).
          --client NAME   Uses the named client of AI:Clients (default: 'default').
          --json          Prints the whole ChatResponse as JSON instead of text.
          --raw           Calls the provider adapter alone, without the configured pipeline.
          --no-stream     Uses GetResponseAsync instead of streaming.
          --batch IN --out OUT  Sends every line of IN (JSON: prompt or messages, optional id and options) and appends
                          one JSON line per result to OUT; rerun with the same OUT to skip what succeeded (docs/batch.md).
          --concurrency N Items in flight at once in a batch (default 4).
          --help          Shows this help.
        Configuration: samples/Chat/appsettings.json and environment variables (AI__Provider, AI__Model, AI__ApiKey, AI__Endpoint...).
        """;

    private static readonly Dictionary<string, string> s_emulatedProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "OPENAI_API_KEY",
        ["anthropic"] = "ANTHROPIC_API_KEY",
        ["ollama"] = "OLLAMA_API_KEY",
        ["dashscope-native"] = "DASHSCOPE_API_KEY",
        ["gemini"] = "GEMINI_API_KEY",
    };

    public static async Task<int> Main(string[] args)
    {
        var options = CliOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

        await using var emulator = await StartEmulatorIfNeededAsync(configuration, options.Client);

        var services = new ServiceCollection();
        // Every log line goes to stderr: stdout carries only the reply (or the JSON of --json), so it can be piped.
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true));
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();

        var problems = clients.Validate(options.Client);
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync("The configuration is not valid:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
            return 1;
        }

        IChatClient? raw;
        IChatClient client;
        ChatSession session;
        try
        {
            raw = options.Raw ? clients.CreateProviderClient(options.Client) : null;
            client = raw ?? clients.GetClient(options.Client);
            session = new ChatSession(client, options, clients.GetSettings(options.Client), provider.GetService<RedisChatState>()?.Ledger);
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            // A setting an adapter refuses (an API key with a line break): its message names the setting, never the key.
            await Console.Error.WriteLineAsync("The configuration is not valid:" + Environment.NewLine + "  " + SecretRedactor.Redact(ex.Message));
            return 1;
        }

        using var ownedRaw = raw;

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            if (options.BatchInput is not null)
            {
                return await Batch.BatchCommand.RunAsync(client, new Batch.BatchCommandOptions
                {
                    InputPath = options.BatchInput,
                    OutputPath = options.BatchOutput!,
                    MaxConcurrency = options.BatchConcurrency,
                    LiveProgress = !Console.IsErrorRedirected,
                }, Console.Out, Console.Error, cancel.Token);
            }

            if (options.Prompt is not null)
            {
                await session.SendAsync(options.Prompt, cancel.Token);
                return 0;
            }

            Console.WriteLine($"Chatting with '{options.Client}' ({session.Describe()}). /reset clears the history, /exit (or Ctrl+D) ends.");
            while (!cancel.IsCancellationRequested)
            {
                Console.Write("> ");
                var line = Console.ReadLine();
                if (line is null || line.Trim() is "/exit" or "/quit")
                {
                    break;
                }

                if (line.Trim() == "/reset")
                {
                    session.Reset();
                    continue;
                }

                if (!string.IsNullOrWhiteSpace(line))
                {
                    try
                    {
                        await session.SendAsync(line, cancel.Token);
                    }
                    catch (ChatProviderException ex)
                    {
                        await Console.Error.WriteLineAsync("error: " + ex.Message);
                    }
                }
            }

            return 0;
        }
        catch (ChatProviderException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("The configuration is not valid:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", ex.Failures));
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }

    /// <summary>
    /// Starts the in-process emulator when the chosen client has no provider, or has a provider the emulator speaks but
    /// neither a key nor an endpoint; points the configuration at it and says so in one line.
    /// </summary>
    private static async Task<EmulatorServer?> StartEmulatorIfNeededAsync(IConfigurationRoot configuration, string client)
    {
        var ai = configuration.GetSection("AI");
        string? Get(string key) => ai[$"Clients:{client}:{key}"] ?? ai[key];
        var provider = Get("Provider");
        if (provider is not null)
        {
            var hasKey = !string.IsNullOrEmpty(Get("ApiKey")) || (s_emulatedProviders.TryGetValue(provider, out var variable) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))) ||
                (string.Equals(provider, "gemini", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GOOGLE_API_KEY")));
            if (hasKey || Get("Endpoint") is not null || !s_emulatedProviders.ContainsKey(provider))
            {
                return null;
            }
        }

        var dialect = provider ?? "openai";
        var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(10) });
        var endpoint = dialect.ToUpperInvariant() switch
        {
            "ANTHROPIC" => emulator.AnthropicEndpoint,
            "OLLAMA" => emulator.OllamaEndpoint,
            "DASHSCOPE-NATIVE" => emulator.DashScopeEndpoint,
            "GEMINI" => emulator.GeminiEndpoint,
            _ => emulator.OpenAIEndpoint,
        };
        var overrides = new Dictionary<string, string?>
        {
            ["AI:Provider"] = dialect,
            ["AI:Endpoint"] = endpoint.ToString(),
            ["AI:ApiKey"] = "emulator",
            [$"AI:Clients:{client}:Provider"] = ai[$"Clients:{client}:Provider"] is null ? null : dialect,
            [$"AI:Clients:{client}:Endpoint"] = ai[$"Clients:{client}:Provider"] is null ? null : endpoint.ToString(),

            // A local Ollama serves whatever was pulled, so the provider has no default model: the emulator answers to any.
            ["AI:Model"] = Get("Model") is null && string.Equals(dialect, "ollama", StringComparison.OrdinalIgnoreCase) ? "llama3.2" : null,
        };
        foreach (var (key, value) in overrides)
        {
            if (value is not null)
            {
                configuration[key] = value;
            }
        }

        Console.Error.WriteLine(string.Equals(dialect, "ollama", StringComparison.OrdinalIgnoreCase)
            ? $"No ollama endpoint configured: using the built-in emulator at {endpoint} (set AI__Endpoint=http://localhost:11434 to use your Ollama)."
            : $"No {(provider is null ? "provider" : provider + " key")} configured: using the built-in emulator at {endpoint} (set AI__Provider and its API key to use a real provider).");
        return emulator;
    }
}

// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// Runs the chat for a parsed command line: reads the configuration, starts the emulator when the chosen client has
/// no provider (or a provider it speaks with neither key nor endpoint), builds the configured clients and chats.
/// </summary>
internal static class ChatProgram
{
    private static readonly Dictionary<string, string> s_emulatedProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "OPENAI_API_KEY",
        ["anthropic"] = "ANTHROPIC_API_KEY",
    };

    public static async Task<int> RunAsync(CliOptions options, CancellationToken cancellationToken)
    {
        var output = ConsoleStyle.ForOutput(options.NoColor);
        var errors = ConsoleStyle.ForError(options.NoColor);
        var configuration = BuildConfiguration(options);

        await using var emulator = await StartEmulatorIfNeededAsync(configuration, options.Client, cancellationToken);

        var services = new ServiceCollection();

        // Logs go to standard error only: standard output carries the replies (and --json), whatever the log level.
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var ledger = new InMemoryCostLedger();
        services.AddSingleton<ICostLedger>(ledger);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        services.AddHealthChecks().AddChatClientsHealthChecks();
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();
        if (options.Check)
        {
            return await HealthTable.PrintAsync(provider.GetRequiredService<HealthCheckService>(), clients, output, cancellationToken);
        }

        var problems = clients.Validate(options.Client);
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync(errors.Error("The configuration is not valid:") + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
            return 1;
        }

        using var raw = options.Raw ? clients.CreateProviderClient(options.Client) : null;
        var client = raw ?? clients.GetClient(options.Client);
        var session = new ChatSession(client, options, clients.GetSettings(options.Client), ledger, output, errors);
        using var interruption = new ReplyInterruption();

        try
        {
            if (options.Prompt is not null)
            {
                return await session.SendAsync(options.Prompt, interruption, cancellationToken) switch
                {
                    ReplyOutcome.Completed => 0,
                    ReplyOutcome.Cancelled => 130,
                    _ => 1,
                };
            }

            Console.WriteLine($"Chatting with '{options.Client}' ({session.Describe()}). /cost prints the ledger, /reset clears the history, /exit (or Ctrl+D) ends; Ctrl+C stops a reply.");
            while (!cancellationToken.IsCancellationRequested)
            {
                Console.Write(output.Prompt("> "));
                var line = Console.ReadLine();
                switch (line?.Trim())
                {
                    case null or "/exit" or "/quit":
                        return 0;
                    case "/reset":
                        session.Reset();
                        break;
                    case "/cost":
                        session.PrintLedger();
                        break;
                    case "":
                        break;
                    default:
                        await session.SendAsync(line, interruption, cancellationToken);
                        break;
                }
            }

            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync(errors.Error("The configuration is not valid:") + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", ex.Failures));
            return 1;
        }
    }

    /// <summary>appsettings.json, then environment variables, then <c>--provider</c> and <c>--model</c>.</summary>
    private static IConfigurationRoot BuildConfiguration(CliOptions options)
    {
        var overrides = new Dictionary<string, string?>();
        if (options.Provider is not null)
        {
            overrides[$"AI:Clients:{options.Client}:Provider"] = options.Provider;
        }

        if (options.Model is not null)
        {
            overrides[$"AI:Clients:{options.Client}:Model"] = options.Model;
        }

        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
    }

    /// <summary>
    /// Starts the in-process emulator when the chosen client has no provider, or has a provider the emulator speaks but
    /// neither a key nor an endpoint; points the configuration at it and says so in one line.
    /// </summary>
    private static async Task<EmulatorServer?> StartEmulatorIfNeededAsync(IConfigurationRoot configuration, string client, CancellationToken cancellationToken)
    {
        var ai = configuration.GetSection("AI");
        string? Get(string key) => ai[$"Clients:{client}:{key}"] ?? ai[key];
        var provider = Get("Provider");
        if (provider is not null)
        {
            var hasKey = !string.IsNullOrEmpty(Get("ApiKey")) || (s_emulatedProviders.TryGetValue(provider, out var variable) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)));
            if (hasKey || Get("Endpoint") is not null || !s_emulatedProviders.ContainsKey(provider))
            {
                return null;
            }
        }

        var dialect = provider ?? "openai";
        var chunkDelay = configuration.GetValue<TimeSpan?>("Emulator:ChunkDelay") ?? TimeSpan.FromMilliseconds(10);
        var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = chunkDelay }, cancellationToken);
        var endpoint = string.Equals(dialect, "anthropic", StringComparison.OrdinalIgnoreCase) ? emulator.AnthropicEndpoint : emulator.OpenAIEndpoint;
        var overrides = new Dictionary<string, string?>
        {
            ["AI:Provider"] = dialect,
            ["AI:Endpoint"] = endpoint.ToString(),
            ["AI:ApiKey"] = "emulator",
            [$"AI:Clients:{client}:Provider"] = ai[$"Clients:{client}:Provider"] is null ? null : dialect,
            [$"AI:Clients:{client}:Endpoint"] = ai[$"Clients:{client}:Provider"] is null ? null : endpoint.ToString(),
        };
        foreach (var (key, value) in overrides)
        {
            if (value is not null)
            {
                configuration[key] = value;
            }
        }

        await Console.Error.WriteLineAsync($"No {(provider is null ? "provider" : provider + " key")} configured: using the built-in emulator at {endpoint} (set AI__Provider and its API key to use a real provider).");
        return emulator;
    }
}

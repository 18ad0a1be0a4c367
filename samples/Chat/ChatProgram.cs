// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using LlmAdapters.Redis;
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
    public static async Task<int> RunAsync(CliOptions options, CancellationToken cancellationToken)
    {
        var output = ConsoleStyle.ForOutput(options.NoColor);
        var errors = ConsoleStyle.ForError(options.NoColor);
        var configuration = BuildConfiguration(options);

        var services = new ServiceCollection();

        // AI:Provider=emulator (the sample's appsettings.json, so a fresh clone runs offline): the Emulator package's
        // provider, stopped when the services are disposed of. Any other provider is used as configured: without its key,
        // validation stops the CLI with the "needs an API key" message, never falling back to the emulator.
        services.AddChatProviderEmulator(o => o.ChunkDelay = configuration.GetValue<TimeSpan?>("Emulator:ChunkDelay") ?? TimeSpan.FromMilliseconds(10));

        // Logs go to standard error only: standard output carries the replies (and --json), whatever the log level.
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton<ICostLedger>(new InMemoryCostLedger());
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        services.AddHealthChecks().AddChatClientsHealthChecks();
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();
        await StartEmulatorIfChosenAsync(configuration, options.Client, provider, cancellationToken);
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

        IChatClient? raw;
        ChatSession session;
        try
        {
            raw = options.Raw ? clients.CreateProviderClient(options.Client) : null;
            // With AI:Redis set, the ledger service is the one every process shares (docs/scaling.md): the CLI shows it.
            var ledger = provider.GetRequiredService<ICostLedger>();
            session = new ChatSession(
                raw ?? clients.GetClient(options.Client), options, clients.GetSettings(options.Client), ledger, ledger is RedisCostLedger, output, errors);
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            // A setting an adapter refuses (an API key with a line break): its message names the setting, never the key.
            await Console.Error.WriteLineAsync(errors.Error("The configuration is not valid:") + Environment.NewLine + "  " + SecretRedactor.Redact(ex.Message));
            return 1;
        }

        if (options.Batch is { } batchInput)
        {
            if (options.Out is not { Length: > 0 } batchOutput)
            {
                await Console.Error.WriteLineAsync(errors.Error("--batch needs --out: the JSONL file the results are appended to."));
                return 2;
            }

            // Ctrl+C cancels the batch, which then writes what finished and its summary (exit 130); a rerun resumes.
            using var batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                batchCancellation.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                return await Batch.BatchCommand.RunAsync(
                    raw ?? clients.GetClient(options.Client),
                    new Batch.BatchCommandOptions { InputPath = batchInput, OutputPath = batchOutput, MaxConcurrency = options.Concurrency, LiveProgress = !Console.IsErrorRedirected },
                    Console.Out,
                    Console.Error,
                    batchCancellation.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }

        using var ownedRaw = raw;
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
    /// Starts the emulator before the first reply when the chosen client's provider is <c>emulator</c>, and says so in one
    /// line on standard error (the first call would start it too, but the address belongs in that line).
    /// </summary>
    private static async Task StartEmulatorIfChosenAsync(IConfiguration configuration, string client, IServiceProvider services, CancellationToken cancellationToken)
    {
        var ai = configuration.GetSection("AI");
        var provider = ai[$"Clients:{client}:Provider"] ?? ai["Provider"];
        if (!string.Equals(provider?.Trim(), EmulatorChatProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var emulator = await services.GetRequiredService<EmulatorChatProvider>().EnsureStartedAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"AI:Provider is 'emulator': replies come from the built-in emulator at {emulator.OpenAIEndpoint}, offline (set AI__Provider and its API key to use a real provider).");
    }
}

// Licensed under the MIT License.

using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using LlmAdapters.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// The command line of the chat CLI, parsed by System.CommandLine: its options, its help (with examples and the
/// providers it knows), and the action that runs the chat.
/// </summary>
internal static class ChatCommand
{
    private const string Examples = """

        Examples:
          llm-chat "Hello"                                   One reply from the configured default client (the emulator when none is configured).
          llm-chat                                           An interactive chat: /cost prints the ledger, /reset clears the history, /exit ends.
                                                             Ctrl+C stops the reply and returns to the prompt; a second Ctrl+C exits.
          llm-chat --client welcome "Hi"                     A named client of AI:Clients.
          llm-chat --provider anthropic --model claude-haiku-4-5 "Hi"
          llm-chat --reasoning "Why is the sky blue?"        Asks for reasoning and shows it, dimmed, before the answer.
          llm-chat --json --no-stream "Hi"                   The whole ChatResponse as JSON.
          llm-chat --check                                   A table of the configured clients and their health.
          AI__Provider=openai OPENAI_API_KEY=sk-... llm-chat "Hi"

        Configuration: appsettings.json beside the program, then environment variables (AI__Provider, AI__Model,
        AI__ApiKey, AI__Endpoint, Emulator__ChunkDelay...). Colours are off when NO_COLOR is set or output is redirected.
        Logs go to standard error only.
        """;

    /// <summary>Builds the root command.</summary>
    public static RootCommand Create()
    {
        var prompt = new Argument<string[]>("prompt")
        {
            Description = "Sends one prompt and prints the reply; without one, starts an interactive chat.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        prompt.Validators.Add(result =>
        {
            // System.CommandLine hands an unknown "--option" to the argument: say what it is instead of sending it.
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith("--", StringComparison.Ordinal) && t.Value.Length > 2))
            {
                result.AddError($"Unknown option '{token.Value}'.");
            }
        });
        var client = new Option<string>("--client", "-c")
        {
            Description = "The named client of AI:Clients to use.",
            DefaultValueFactory = _ => "default",
            HelpName = "name",
        };
        var provider = new Option<string?>("--provider", "-p")
        {
            Description = "Overrides the client's provider (AI:Provider), e.g. openai or anthropic.",
            HelpName = "name",
        };
        var model = new Option<string?>("--model", "-m")
        {
            Description = "Overrides the client's model (AI:Model).",
            HelpName = "id",
        };
        var json = new Option<bool>("--json") { Description = "Prints the whole ChatResponse as JSON instead of text." };
        var raw = new Option<bool>("--raw") { Description = "Calls the provider adapter alone, without the configured pipeline." };
        var noStream = new Option<bool>("--no-stream") { Description = "Uses GetResponseAsync instead of streaming." };
        var reasoning = new Option<bool>("--reasoning") { Description = "Asks the model to reason and shows its reasoning (TextReasoningContent)." };
        var noColor = new Option<bool>("--no-color") { Description = "Turns colours off (as NO_COLOR does)." };
        var check = new Option<bool>("--check")
        {
            Description = "Checks every configured client (its configuration, then its provider's cheapest endpoint and key) and prints a table; exits 1 when one is unhealthy.",
        };

        var batch = new Option<string?>("--batch")
        {
            Description = "Runs every request of a JSONL file (one {\"prompt\"} or {\"messages\"} per line, optional id and options) through the client; needs --out.",
            HelpName = "in.jsonl",
        };
        var batchOut = new Option<string?>("--out")
        {
            Description = "Where --batch appends one JSON result per line; rerunning with the same file skips the items that already succeeded.",
            HelpName = "out.jsonl",
        };
        var concurrency = new Option<int>("--concurrency") { Description = "How many --batch requests run at once.", DefaultValueFactory = _ => 4 };

        var root = new RootCommand("Chat with any configured LLM provider through the LlmAdapters pipeline.")
        {
            prompt, client, provider, model, json, raw, noStream, reasoning, noColor, check, batch, batchOut, concurrency,
        };

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpWithExamplesAction((HelpAction)help.Action!);
        }

        root.SetAction((result, cancellationToken) =>
        {
            var words = result.GetValue(prompt) ?? [];
            var options = new CliOptions
            {
                Prompt = words.Length > 0 ? string.Join(' ', words) : null,
                Client = result.GetValue(client) ?? "default",
                Provider = result.GetValue(provider),
                Model = result.GetValue(model),
                Json = result.GetValue(json),
                Raw = result.GetValue(raw),
                NoStream = result.GetValue(noStream),
                Reasoning = result.GetValue(reasoning),
                NoColor = result.GetValue(noColor),
                Check = result.GetValue(check),
                Batch = result.GetValue(batch),
                Out = result.GetValue(batchOut),
                Concurrency = result.GetValue(concurrency),
            };
            return ChatProgram.RunAsync(options, cancellationToken);
        });
        return root;
    }

    /// <summary>The provider names the configured clients accept.</summary>
    private static IReadOnlyList<string> ProviderNames()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ConfiguredChatClients>().ProviderNames;
    }

    /// <summary>The standard help, then the examples and the providers.</summary>
    private sealed class HelpWithExamplesAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(Examples);
            output.WriteLine("Providers (AI:Provider): " + string.Join(", ", ProviderNames()) + ".");
            return result;
        }
    }
}

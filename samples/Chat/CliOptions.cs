// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat;

/// <summary>The command line of the chat CLI.</summary>
internal sealed class CliOptions
{
    public string Client { get; private set; } = "default";

    public string? Prompt { get; private set; }

    public bool Json { get; private set; }

    public bool Raw { get; private set; }

    public bool NoStream { get; private set; }

    public bool Help { get; private set; }

    public string? BatchInput { get; private set; }

    public string? BatchOutput { get; private set; }

    public int BatchConcurrency { get; private set; } = 4;

    public static CliOptions? Parse(string[] args, out string? error)
    {
        var options = new CliOptions();
        var words = new List<string>();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--client":
                    if (i + 1 >= args.Length)
                    {
                        error = "--client needs a name.";
                        return null;
                    }

                    options.Client = args[++i];
                    break;
                case "--json":
                    options.Json = true;
                    break;
                case "--raw":
                    options.Raw = true;
                    break;
                case "--no-stream":
                    options.NoStream = true;
                    break;
                case "--batch" or "--out":
                    if (i + 1 >= args.Length)
                    {
                        error = args[i] + " needs a file.";
                        return null;
                    }

                    if (args[i] == "--batch")
                    {
                        options.BatchInput = args[++i];
                    }
                    else
                    {
                        options.BatchOutput = args[++i];
                    }

                    break;
                case "--concurrency":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var concurrency) || concurrency < 1)
                    {
                        error = "--concurrency needs a positive number.";
                        return null;
                    }

                    options.BatchConcurrency = concurrency;
                    i++;
                    break;
                case "-h" or "--help":
                    options.Help = true;
                    break;
                case "--":
                    words.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = $"Unknown option '{args[i]}'.";
                        return null;
                    }

                    words.Add(args[i]);
                    break;
            }
        }

        options.Prompt = words.Count > 0 ? string.Join(' ', words) : null;
        if ((options.BatchInput is null) != (options.BatchOutput is null))
        {
            error = "--batch and --out go together.";
            return null;
        }

        return options;
    }
}

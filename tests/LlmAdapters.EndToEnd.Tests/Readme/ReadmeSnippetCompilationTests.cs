// Licensed under the MIT License.

using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmAdapters.EndToEnd.Tests.Readme;

/// <summary>
/// Every C# block of the README compiles exactly as shown: its own <c>using</c> directives and the implicit usings of an
/// ASP.NET Core application (the Web SDK's), nothing else. A snippet that misses a using, or carries one it does not
/// need, fails here. The variables a snippet uses without declaring (<c>builder</c>, <c>app</c>, <c>httpClient</c>,
/// <c>chat</c>, <c>prompts</c>) are declared before it with fully qualified types, so that they bring no namespace in.
/// </summary>
public sealed partial class ReadmeSnippetCompilationTests
{
    /// <summary>The Web SDK's implicit global usings (Microsoft.NET.Sdk.Web with ImplicitUsings enabled).</summary>
    private static readonly string[] s_implicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json", "System.Threading",
        "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>What a snippet may use without declaring it, fully qualified.</summary>
    private static readonly (string Name, string Declaration)[] s_context =
    [
        ("builder", "global::Microsoft.AspNetCore.Builder.WebApplicationBuilder builder = global::Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();"),
        ("app", "global::Microsoft.AspNetCore.Builder.WebApplication app = builder.Build();"),
        ("httpClient", "global::System.Net.Http.HttpClient httpClient = new();"),
        ("chat", "global::Microsoft.Extensions.AI.IChatClient chat = null!;"),
        ("prompts", "global::System.Collections.Generic.IEnumerable<string> prompts = [];"),
    ];

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p))]);

    public static TheoryData<int> SnippetIndexes => new(Enumerable.Range(0, Snippets().Count));

    [Fact]
    public void Readme_HasTheSnippetsThisTestCompiles() => Assert.True(Snippets().Count >= 4, $"{Snippets().Count} C# blocks in the README.");

    [Theory]
    [MemberData(nameof(SnippetIndexes))]
    public void Snippet_CompilesAsShown_WithItsOwnUsings(int index)
    {
        var snippet = Snippets()[index];

        var problems = Compile(snippet);

        Assert.True(problems.Count == 0, $"README C# block {index + 1}:\n{snippet}\n\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void Snippet_WithoutOneOfItsUsings_Fails()
    {
        // The harness itself: the block that builds a client in code loses its LlmAdapters.Resilience using (UseRetry).
        var snippet = Snippets().Single(s => s.Contains(".UseRetry()", StringComparison.Ordinal));
        var trimmed = UsingLine().Replace(snippet, m => m.Value.Contains("LlmAdapters.Resilience", StringComparison.Ordinal) ? "" : m.Value);

        Assert.NotEqual(snippet, trimmed);
        Assert.Contains(Compile(trimmed), p => p.Contains("CS1061", StringComparison.Ordinal) && p.Contains("UseRetry", StringComparison.Ordinal));
    }

    [Fact]
    public void Snippet_WithAUsingItDoesNotNeed_Fails()
    {
        var snippet = "using System.Text;\n" + Snippets().Single(s => s.Contains(".UseRetry()", StringComparison.Ordinal));

        Assert.Contains(Compile(snippet), p => p.Contains("CS8019", StringComparison.Ordinal));
    }

    private static List<string> Compile(string snippet)
    {
        var usings = string.Concat(UsingLine().Matches(snippet).Select(m => m.Value));
        var body = UsingLine().Replace(snippet, "");
        var context = s_context
            .Where(c => Regex.IsMatch(body, $@"\b{c.Name}\b") && !Regex.IsMatch(body, $@"[\w>?\]]\s+{c.Name}\s*="))
            .Select(c => c.Declaration);
        var program = usings + string.Join("\n", context) + "\n" + body;
        var globalUsings = string.Concat(s_implicitUsings.Select(u => $"global using global::{u};\n"));

        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet",
            [CSharpSyntaxTree.ParseText(globalUsings, path: "GlobalUsings.g.cs"), CSharpSyntaxTree.ParseText(program, path: "README.cs")],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        // Errors, and the README's own unnecessary usings (CS8019 is a hidden diagnostic; the global ones are not the README's).
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Id == "CS8019" && d.Location.SourceTree?.FilePath == "README.cs"))
            .Select(d => d.ToString())];
    }

    private static List<string> Snippets()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        return [.. CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value)];
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Adapters.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Adapters.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using [\w.]+;[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}

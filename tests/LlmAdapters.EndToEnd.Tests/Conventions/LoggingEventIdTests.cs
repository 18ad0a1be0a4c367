// Licensed under the MIT License.

using System.Reflection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.EndToEnd.Tests.Conventions;

/// <summary>
/// One event-id range per package (docs/architecture.md, "Logging"): every <c>[LoggerMessage]</c> of a package has an
/// explicit event id inside its package's range, and no two share one, so that an event id names its package and event
/// in any log store.
/// </summary>
public sealed class LoggingEventIdTests
{
    /// <summary>The ranges, as docs/architecture.md lists them; a new package adds its row here and there.</summary>
    private static readonly (string Package, int First, int Last)[] s_ranges =
    [
        ("LlmAdapters.Core", 1000, 1099),
        ("LlmAdapters.OpenAI", 1100, 1199),
        ("LlmAdapters.OpenAI.Sdk", 1200, 1299),
        ("LlmAdapters.Anthropic", 1300, 1399),
        ("LlmAdapters.Gemini", 1400, 1499),
        ("LlmAdapters.Ollama", 1500, 1599),
        ("LlmAdapters.DashScope", 1600, 1699),
        ("LlmAdapters.Resilience", 2000, 2999),
        ("LlmAdapters.Redis", 3000, 3999),
        ("LlmAdapters.Batch", 4000, 4999),
        ("LlmAdapters.Cost", 5000, 5899),
        ("LlmAdapters.Cost.Tokenizers", 5900, 5999),
        ("LlmAdapters.Gateway", 6000, 6999),
        ("LlmAdapters.Emulator", 7000, 7999),
        ("LlmAdapters.OpenTelemetry", 8000, 8999),
        ("LlmAdapters.Hosting", 9000, 9899),
        ("LlmAdapters.Hosting.Abstractions", 9900, 9999),
        ("LlmAdapters", 10000, 10099),
    ];

    public static TheoryData<string, int, int> Ranges => new(s_ranges.Select(r => (r.Package, r.First, r.Last)));

    [Theory]
    [MemberData(nameof(Ranges))]
    public void LoggerMessages_HaveExplicitEventIdsInTheirPackagesRange(string package, int first, int last)
    {
        var outside = EventIds(Assembly.Load(package))
            .Where(e => e.Id < first || e.Id > last)
            .Select(e => $"{e.Method}: event id {e.Id} (range {first}-{last}{(e.Id == -1 ? "; none given" : "")})")
            .ToList();

        Assert.True(outside.Count == 0, $"{package}: " + string.Join("; ", outside));
    }

    [Fact]
    public void LoggerMessages_NoTwoShareAnEventId()
    {
        var all = s_ranges.Select(r => r.Package).SelectMany(p => EventIds(Assembly.Load(p))).ToList();

        var shared = all.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();

        Assert.True(shared.Count == 0, "Event ids used twice: " + string.Join("; ", shared));
        Assert.True(all.Count >= 25, $"Only {all.Count} [LoggerMessage] methods found: the scan no longer sees them.");
    }

    [Fact]
    public void Ranges_CoverEverySourceProject_AndDoNotOverlap()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Adapters.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var projects = Directory.GetFiles(Path.Combine(root.FullName, "src"), "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Empty(projects.Except(s_ranges.Select(r => r.Package)));
        var ordered = s_ranges.OrderBy(r => r.First).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].First > ordered[i - 1].Last, $"{ordered[i].Package} overlaps {ordered[i - 1].Package}");
        }
    }

    private static IEnumerable<(string Method, int Id)> EventIds(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select ($"{type.FullName}.{method.Name}", attribute.EventId);
}

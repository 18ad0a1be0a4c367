// Licensed under the MIT License.

using System.Text.RegularExpressions;

namespace LlmAdapters.Cost;

/// <summary>
/// The documented rules that turn a model id the provider returned into the ids tried against the catalog, in order
/// (docs/cost.md, "Model ids"): the id itself; without a path prefix (<c>models/</c>, <c>openai/</c>, <c>dashscope/</c>);
/// then without a dated snapshot or version suffix (<c>-2024-08-06</c>, <c>-20250514</c>, <c>@20250514</c>, <c>-09-2025</c>,
/// <c>-0613</c>, <c>-001</c>, <c>-latest</c>). No prefix matching: <c>gpt-4o-mini</c> never falls back to <c>gpt-4o</c>.
/// </summary>
internal static partial class ModelIdResolver
{
    public static IEnumerable<string> Candidates(string modelId)
    {
        var id = modelId.Trim();
        yield return id;

        var slash = id.LastIndexOf('/');
        if (slash >= 0 && slash < id.Length - 1)
        {
            id = id[(slash + 1)..];
            yield return id;
        }

        var family = SnapshotSuffix().Replace(id, string.Empty);
        if (family.Length > 0 && !string.Equals(family, id, StringComparison.Ordinal))
        {
            yield return family;
        }
    }

    // -2024-08-06 (OpenAI, Qwen) | -20250514 or @20250514 (Anthropic, Vertex) | -09-2025 (Gemini previews) | -0613 (older OpenAI) | -001 (Gemini) | -latest
    [GeneratedRegex(@"(?:-\d{4}-\d{2}-\d{2}|[-@]\d{8}|-\d{2}-\d{4}|-\d{4}|-\d{3}|-latest)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SnapshotSuffix();
}

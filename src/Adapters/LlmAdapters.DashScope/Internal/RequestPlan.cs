// Licensed under the MIT License.

namespace LlmAdapters.DashScope.Internal;

/// <summary>What the response mapping must know of the request it answers.</summary>
/// <param name="Model">The model asked for (DashScope does not echo it).</param>
/// <param name="Multimodal">Whether the request goes to multimodal generation.</param>
internal sealed record RequestPlan(string Model, bool Multimodal);

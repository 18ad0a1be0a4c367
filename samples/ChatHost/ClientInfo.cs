// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>An entry of <c>GET /clients</c>: a configured client without its credentials.</summary>
/// <param name="Name">The client name.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Model">The default model.</param>
/// <param name="MaxOutputTokens">The default output token limit.</param>
/// <param name="Temperature">The default temperature.</param>
/// <param name="Emulated">Whether the built-in emulator answers for it.</param>
internal sealed record ClientInfo(string Name, string Provider, string? Model, int? MaxOutputTokens, float? Temperature, bool Emulated);

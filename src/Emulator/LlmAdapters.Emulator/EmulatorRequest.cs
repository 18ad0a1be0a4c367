// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>A request the emulator received, for assertions.</summary>
/// <param name="Dialect">The dialect that served it.</param>
/// <param name="Path">The request path.</param>
/// <param name="Body">The request body.</param>
/// <param name="Headers">The request headers (credentials included: tests only).</param>
public sealed record EmulatorRequest(string Dialect, string Path, string Body, IReadOnlyDictionary<string, string> Headers);

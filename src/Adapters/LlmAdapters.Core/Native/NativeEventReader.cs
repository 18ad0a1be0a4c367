// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Native;

/// <summary>Reads one streamed event on a decoder's fast path (<see cref="NativeFastPath.TryRead{TState}"/>), from the reader positioned before its first token.</summary>
/// <typeparam name="TState">What the read needs and what it reads (a struct of inputs and outputs, passed by reference).</typeparam>
/// <param name="reader">The reader over the event's bytes.</param>
/// <param name="state">The read's inputs and outputs.</param>
/// <returns><see langword="true"/> when the event has the hot shape and was read; <see langword="false"/> when the DTO must read it.</returns>
public delegate bool NativeEventReader<TState>(ref Utf8JsonReader reader, ref TState state);

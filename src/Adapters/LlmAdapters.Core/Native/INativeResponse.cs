// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>
/// The contract of a native provider's non-streamed response DTO: it says whether what was deserialized is the provider's
/// dialect at all, so that a 200 carrying some other JSON (<c>{"foo":1}</c>, another provider's shape, a required member
/// that is null) fails with a <see cref="ChatProviderException"/> instead of passing as an empty answer.
/// </summary>
public interface INativeResponse
{
    /// <summary>Describes why this object is not a response of the provider's dialect.</summary>
    /// <returns><see langword="null"/> when it is one; otherwise a short description of what is missing or wrong, without the body's content.</returns>
    string? GetShapeError();
}

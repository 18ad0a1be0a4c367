// Licensed under the MIT License.

using LlmAdapters.Gemini.Internal;

namespace LlmAdapters.Gemini.Tests;

/// <summary>The adapter's AdditionalProperties keys, as the tests read them.</summary>
internal static class GeminiMapperKeys
{
    public const string FinishMessage = GeminiMapper.FinishMessageKey;

    public const string GroundingMetadata = GeminiMapper.GroundingMetadataKey;
}

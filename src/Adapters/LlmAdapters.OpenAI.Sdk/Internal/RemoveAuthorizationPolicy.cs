// Licensed under the MIT License.

using System.ClientModel.Primitives;

namespace LlmAdapters.OpenAI.Internal;

/// <summary>Removes the <c>Authorization</c> header that the SDK's placeholder credential adds when no API key is configured.</summary>
internal sealed class RemoveAuthorizationPolicy : PipelinePolicy
{
    public static RemoveAuthorizationPolicy Instance { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Remove("Authorization");
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Remove("Authorization");
        return ProcessNextAsync(message, pipeline, currentIndex);
    }
}

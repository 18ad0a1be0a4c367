// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>An enabled stage of a client's plan, with the context it read and the options it read from its section.</summary>
internal sealed record ChatPipelineStagePlan(IChatPipelineStage Stage, ChatPipelineContext Context, object? Options);

// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's OpenTelemetry middleware (<c>UseOpenTelemetry</c>): <c>gen_ai</c> spans and metrics, on by default (it costs
/// nothing without a listener). Keys: <c>SourceName</c>, <c>EnableSensitiveData</c> (default false).
/// </summary>
internal sealed class OpenTelemetryStage : BuilderChatPipelineStage<OpenTelemetryStage.Options>
{
    public override string Name => "OpenTelemetry";

    public override int Order => ChatPipelineOrder.OpenTelemetry;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override Options Read(ChatPipelineContext context, List<string> errors) => new(
        ConfigurationReader.GetBoolean(context.Section, "EnableSensitiveData", errors, context.SectionPath) ?? false,
        context.Section["SourceName"]); // any name

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, Options options)
    {
        var (sensitive, sourceName) = options;
        // No logger (UseOpenTelemetry would take the services' one): a failure is recorded on the span and logged once
        // by the Logging stage, not a second time, with its stack trace, here.
        builder.Use(inner => new OpenTelemetryChatClient(inner, logger: null, sourceName) { EnableSensitiveData = sensitive });
    }

    /// <summary>The keys of the stage's section, read once.</summary>
    internal sealed record Options(bool EnableSensitiveData, string? SourceName);
}

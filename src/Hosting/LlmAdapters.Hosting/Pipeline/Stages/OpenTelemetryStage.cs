// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's OpenTelemetry middleware (<c>UseOpenTelemetry</c>): <c>gen_ai</c> spans and metrics, on by default (it costs
/// nothing without a listener). Keys: <c>SourceName</c>, <c>EnableSensitiveData</c> (default false).
/// </summary>
internal sealed class OpenTelemetryStage : BuilderChatPipelineStage
{
    public override string Name => "OpenTelemetry";

    public override int Order => ChatPipelineOrder.OpenTelemetry;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        var errors = new List<string>();
        ConfigurationReader.GetBoolean(context.Section, "EnableSensitiveData", errors, context.SectionPath);
        _ = context.Section["SourceName"]; // any name; read here so that it is a known key
        return errors;
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context)
    {
        var sensitive = ConfigurationReader.GetBoolean(context.Section, "EnableSensitiveData", [], context.SectionPath) ?? false;
        // No logger (UseOpenTelemetry would take the services' one): a failure is recorded on the span and logged once
        // by the Logging stage, not a second time, with its stack trace, here.
        var sourceName = context.Section["SourceName"];
        builder.Use(inner => new OpenTelemetryChatClient(inner, logger: null, sourceName) { EnableSensitiveData = sensitive });
    }
}

// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's OpenTelemetry middleware (<c>UseOpenTelemetry</c>): <c>gen_ai</c> spans and metrics, on by default (it costs
/// nothing without a listener). Keys: <c>SourceName</c>, <c>EnableSensitiveData</c> (default false).
/// </summary>
internal sealed class OpenTelemetryStage : IChatPipelineStage
{
    public string Name => "OpenTelemetry";

    public int Order => ChatPipelineOrder.OpenTelemetry;

    public bool IsEnabled(ChatPipelineContext context) => true;

    public IEnumerable<string> Validate(ChatPipelineContext context)
    {
        var errors = new List<string>();
        ConfigurationValues.GetBool(context.Section, "EnableSensitiveData", context.SectionPath, errors);
        return errors;
    }

    public void Configure(ChatClientBuilder builder, ChatPipelineContext context)
    {
        var sensitive = ConfigurationValues.GetBool(context.Section, "EnableSensitiveData", context.SectionPath, []) ?? false;
        // No logger: a failure is recorded on the span and logged once by the Logging stage, not a second time here.
        builder.UseOpenTelemetry(
            loggerFactory: null,
            context.Section["SourceName"],
            client => client.EnableSensitiveData = sensitive);
    }
}

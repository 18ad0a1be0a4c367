// Licensed under the MIT License.

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Gateway;

/// <summary>Fails the start when the gateway's section is not valid, with every problem named by its key path.</summary>
internal sealed class GatewayStartupCheck(GatewayState state, string sectionPath) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>(state.Options.Errors);
        errors.AddRange(state.Clients.Validate(state.Options.Keys));
        if (state.Options.Keys.Count == 0)
        {
            errors.Add($"{sectionPath}:Keys has no key: add {sectionPath}:Keys:{{name}}:KeyHash (the hex SHA-256 of the key) so that callers can be let in.");
        }

        return errors.Count == 0 ? Task.CompletedTask : throw new OptionsValidationException(sectionPath, typeof(GatewayOptions), errors);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

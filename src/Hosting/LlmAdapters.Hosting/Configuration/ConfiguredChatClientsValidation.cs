// Licensed under the MIT License.

using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting;

/// <summary>An options type whose only purpose is to run the configured clients' validation when the host starts.</summary>
internal sealed class ConfiguredChatClientsValidation;

/// <summary>Validates every configured client through <see cref="ConfiguredChatClients.Validate"/>.</summary>
internal sealed class ConfiguredChatClientsValidator(ConfiguredChatClients clients) : IValidateOptions<ConfiguredChatClientsValidation>
{
    public ValidateOptionsResult Validate(string? name, ConfiguredChatClientsValidation options)
    {
        var errors = clients.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

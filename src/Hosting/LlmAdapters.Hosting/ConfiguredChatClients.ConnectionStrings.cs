// Licensed under the MIT License.

using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

// Aspire-style connection strings: ConnectionStrings:{client} = "Endpoint=…;Key=…;Model=…[;Provider=…]".
public sealed partial class ConfiguredChatClients
{
    /// <summary>The keys a client's connection string may hold, as Aspire's AI integrations write them.</summary>
    private static readonly string[] s_connectionKeys = ["Endpoint", "Key", "Model", "Provider", "DeploymentId"];

    /// <summary>
    /// The values of a client's connection string (<c>ConnectionStrings:{name}</c> of the application's configuration),
    /// which take precedence over the <c>AI</c> section for the keys they set, as Aspire integrations do; or
    /// <see langword="null"/> when there is none.
    /// </summary>
    private Dictionary<string, string>? ReadConnectionString(string name, List<string> errors)
    {
        var text = _services.GetService<IConfiguration>()?.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = text };
            foreach (string key in builder.Keys)
            {
                if (!s_connectionKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"ConnectionStrings:{name} has the key '{key}', which is not a chat client key. Known keys: {string.Join(", ", s_connectionKeys)}.");
                    continue;
                }

                values[key] = Convert.ToString(builder[key], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }
        catch (ArgumentException)
        {
            // The message of DbConnectionStringBuilder may quote the text, key included: say where, not what.
            errors.Add($"ConnectionStrings:{name} is not a connection string of the form Endpoint=https://…;Key=…;Model=….");
            return null;
        }

        // Azure's name for the model of a deployment.
        if (!values.ContainsKey("Model") && values.TryGetValue("DeploymentId", out var deployment))
        {
            values["Model"] = deployment;
        }

        return values;
    }
}

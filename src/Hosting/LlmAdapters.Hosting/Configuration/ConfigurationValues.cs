// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// The configuration readers of Hosting: <see cref="ConfigurationReader"/> (shared with the middleware packages), with
/// every problem collected into a list so that validation reports them all at once, each naming its key.
/// </summary>
internal static class ConfigurationValues
{
    public static TimeSpan? GetDuration(IConfiguration configuration, string key, string path, List<string> errors) =>
        ConfigurationReader.GetDuration(configuration, key, errors, path);

    public static int? GetInt(IConfiguration configuration, string key, string path, List<string> errors, int min = 1) =>
        ConfigurationReader.GetInt32(configuration, key, min, errors, path);

    public static double? GetDouble(IConfiguration configuration, string key, string path, List<string> errors, double min, double max) =>
        ConfigurationReader.GetDouble(configuration, key, min, max, errors, path);

    public static bool? GetBool(IConfiguration configuration, string key, string path, List<string> errors) =>
        ConfigurationReader.GetBoolean(configuration, key, errors, path);

    public static IReadOnlyList<string> GetList(IConfiguration configuration, string key) => ConfigurationReader.GetList(configuration, key);
}

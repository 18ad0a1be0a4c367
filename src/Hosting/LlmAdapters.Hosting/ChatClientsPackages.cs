// Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// The one-reference experience: when the application references the <c>LlmAdapters</c> package (every provider and
/// middleware), <c>AddConfiguredChatClients</c> registers them all by calling that package's <c>AddLlmAdapters()</c>, found
/// by its name. Hosting references no provider or middleware package; without <c>LlmAdapters</c>, each package referenced is
/// registered by its own call (<c>AddAnthropicChatProvider()</c>, <c>AddResilienceChatPipelineStages()</c>…).
/// </summary>
internal static class ChatClientsPackages
{
    /// <summary>The assembly-qualified name of the meta-package's registration class.</summary>
    private const string MetaPackageType = "Microsoft.Extensions.DependencyInjection.LlmAdaptersServiceCollectionExtensions, LlmAdapters";

    /// <summary>The name of its registration method, <c>AddLlmAdapters(IServiceCollection)</c>.</summary>
    private const string MetaPackageMethod = "AddLlmAdapters";

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Type.GetType with a constant name keeps the type and its public static method when the LlmAdapters assembly is part of the application; when it is not, there is nothing to keep.")]
    public static void AddReferenced(IServiceCollection services)
    {
        var type = Type.GetType(MetaPackageType, throwOnError: false);
        var method = type?.GetMethod(MetaPackageMethod, BindingFlags.Public | BindingFlags.Static, [typeof(IServiceCollection)]);
        method?.Invoke(null, [services]);
    }
}

// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>emulator</c> provider with configured chat clients.</summary>
public static class EmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>emulator</c> provider (<see cref="EmulatorChatProvider"/>), so that <c>AI:Provider</c> (or a client's
    /// <c>Provider</c>) can name it: an in-process emulator on a free loopback port, started with the host when a client
    /// names it and stopped with the host; no key, no network. The clients talk to it with a registered adapter (the
    /// client's <c>Dialect</c> key, or the first registered of openai, anthropic, gemini, ollama, dashscope-native).
    /// Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the emulator's options (<see cref="EmulatorOptions.ChunkDelay"/> to make streaming visible), or <see langword="null"/>.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddChatProviderEmulator(this IServiceCollection services, Action<EmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(EmulatorChatProvider)))
        {
            return services;
        }

        var options = new EmulatorOptions();
        configure?.Invoke(options);
        services.AddChatClientsSectionRegistration((s, section) => s.AddSingleton(new EmulatorClientsSection(section)));
        services.AddSingleton(sp => new EmulatorChatProvider(
            options,
            sp.GetService<ILoggerFactory>()?.CreateLogger<EmulatorChatProvider>() ?? (ILogger)NullLogger.Instance,
            sp.GetService<EmulatorClientsSection>()?.Section));
        services.AddSingleton<IChatProviderFactory>(sp => sp.GetRequiredService<EmulatorChatProvider>());
        services.AddHostedService(sp => sp.GetRequiredService<EmulatorChatProvider>());
        return services;
    }
}

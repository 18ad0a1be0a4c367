// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>Adds an <see cref="ApiKeyRotationChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class ApiKeyRotationChatClientBuilderExtensions
{
    /// <summary>Rotates between the builder's client and other clients of the same provider with other keys.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="otherKeyClients">The clients of the other keys; the rotation owns them.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="otherKeyClients"/> is null.</exception>
    public static ChatClientBuilder UseApiKeyRotation(
        this ChatClientBuilder builder, IEnumerable<IChatClient> otherKeyClients, Action<ApiKeyRotationChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(otherKeyClients);
        var others = otherKeyClients.ToList();
        return builder.Use((inner, services) => Create([inner, .. others], services, configure));
    }

    /// <summary>Rotates between clients created for each key; the builder's own client is disposed.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="apiKeys">The keys.</param>
    /// <param name="createClient">Creates the provider's client for a key.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/>.</param>
    /// <returns>The builder; unchanged in effect when fewer than two keys are given.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ChatClientBuilder UseApiKeyRotation(
        this ChatClientBuilder builder,
        IEnumerable<string> apiKeys,
        Func<string, IChatClient> createClient,
        Action<ApiKeyRotationChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(apiKeys);
        ArgumentNullException.ThrowIfNull(createClient);
        var keys = apiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.Ordinal).ToList();
        return builder.Use((inner, services) =>
        {
            if (keys.Count < 2)
            {
                return inner;
            }

            var clients = keys.Select(createClient).ToList();
            inner.Dispose();
            return Create(clients, services, configure);
        });
    }

    /// <summary>Rotates between clients created for each key, with the options of a section (<c>Strategy</c>, <c>Cooldown</c>, <c>AuthenticationCooldown</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:ApiKeys</c>; its numbered children are the keys unless <paramref name="apiKeys"/> is given.</param>
    /// <param name="createClient">Creates the provider's client for a key.</param>
    /// <param name="apiKeys">The keys, or <see langword="null"/> to read them from the section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="section"/> or <paramref name="createClient"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseApiKeyRotation(
        this ChatClientBuilder builder, IConfiguration section, Func<string, IChatClient> createClient, IEnumerable<string>? apiKeys = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        new ApiKeyRotationChatClientOptions().Read(section);
        var keys = apiKeys ?? ConfigurationReader.GetList(section, string.Empty);
        return builder.UseApiKeyRotation(keys, createClient, options => options.Read(section));
    }

    private static ApiKeyRotationChatClient Create(IEnumerable<IChatClient> clients, IServiceProvider services, Action<ApiKeyRotationChatClientOptions>? configure)
    {
        var options = new ApiKeyRotationChatClientOptions { TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System };
        configure?.Invoke(options);
        return new ApiKeyRotationChatClient(clients, options, services.GetService<ILoggerFactory>()?.CreateLogger<ApiKeyRotationChatClient>());
    }
}

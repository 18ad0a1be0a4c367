// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>Marks the providers this library registers, so that an application's own provider of the same name wins whatever the order of registration.</summary>
internal interface IBuiltInChatProviderFactory : IChatProviderFactory;

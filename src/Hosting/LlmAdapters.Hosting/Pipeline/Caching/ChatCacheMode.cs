// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>How one call uses the configured response cache (<see cref="ChatOptionsCacheExtensions"/>).</summary>
public enum ChatCacheMode
{
    /// <summary>Read a cached answer, and store a fresh one: what the Cache stage does without an override.</summary>
    Use,

    /// <summary>Neither read nor store: the call goes to the provider and its answer is not kept.</summary>
    Bypass,

    /// <summary>Skip the read, and store the fresh answer in place of the cached one.</summary>
    Refresh,
}

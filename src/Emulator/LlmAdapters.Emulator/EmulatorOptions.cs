// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>Options of an <see cref="EmulatorServer"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Gets or sets the loopback port to listen on.</summary>
    /// <value>The default value is 0: a free port chosen by the system.</value>
    public int Port { get; set; }

    /// <summary>Gets or sets the pause between two streamed chunks, to make streaming visible to a person.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Gets or sets the clock used for delays.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

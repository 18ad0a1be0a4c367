// Licensed under the MIT License.

namespace LlmAdapters;

/// <summary>Why a tool loop ended with a <see cref="ToolLoopException"/>.</summary>
public enum ToolLoopErrorKind
{
    /// <summary>The model kept calling a tool with arguments that are not valid JSON; the call was never run.</summary>
    InvalidArguments,

    /// <summary>The model kept calling a tool the caller did not offer; nothing was run.</summary>
    UnknownTool,

    /// <summary>A tool kept throwing (its exception is the <see cref="System.Exception.InnerException"/>).</summary>
    ToolFailed,
}

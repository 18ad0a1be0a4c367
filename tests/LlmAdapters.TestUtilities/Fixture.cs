// Licensed under the MIT License.

namespace LlmAdapters.TestUtilities;

/// <summary>
/// Reads a recorded provider exchange copied (byte for byte) from <c>../shared/fixtures</c> into a test project's
/// <c>Fixtures/&lt;provider&gt;/</c> folder and copied to the output directory.
/// </summary>
public static class Fixture
{
    /// <summary>Reads a fixture file as bytes.</summary>
    /// <param name="relativePath">The path under <c>Fixtures/</c>, e.g. <c>openai/nonstream-text.json</c>.</param>
    /// <returns>The bytes, exactly as recorded.</returns>
    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(PathOf(relativePath));

    /// <summary>Reads a fixture file as text.</summary>
    /// <param name="relativePath">The path under <c>Fixtures/</c>.</param>
    /// <returns>The text.</returns>
    public static string Text(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>Gets whether a fixture file exists.</summary>
    /// <param name="relativePath">The path under <c>Fixtures/</c>.</param>
    /// <returns><see langword="true"/> when it exists.</returns>
    public static bool Exists(string relativePath) => File.Exists(PathOf(relativePath));

    /// <summary>Gets the full path of a fixture file.</summary>
    /// <param name="relativePath">The path under <c>Fixtures/</c>.</param>
    /// <returns>The path.</returns>
    public static string PathOf(string relativePath) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath);
}

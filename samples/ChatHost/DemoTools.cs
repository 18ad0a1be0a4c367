// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// The tool the host offers the model, so that the page can show a tool loop as it happens: <c>get_weather</c>, a
/// deterministic forecast (no network). On the emulator, a prompt such as <c>call get_weather city=Paris</c> calls it.
/// </summary>
internal static class DemoTools
{
    public static ChatOptions Options { get; } = new()
    {
        Tools = [AIFunctionFactory.Create(GetWeather, "get_weather", "Gets today's weather forecast for a city.")],
    };

    private static string GetWeather(string city)
    {
        // Deterministic per city: the same question always gets the same forecast.
        var hash = 0;
        foreach (var c in city.ToUpperInvariant())
        {
            hash = unchecked((hash * 31) + c);
        }

        var sky = new[] { "sunny", "cloudy", "rainy", "windy" }[Math.Abs(hash % 4)];
        var temperature = 5 + Math.Abs(hash % 25);
        return string.Create(CultureInfo.InvariantCulture, $"{sky}, {temperature} °C in {city}");
    }
}

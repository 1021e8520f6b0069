using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>How the bench commands read a whole-number option, so every command words a bad value the same way.</summary>
internal static class OptionNumber
{
    public static int Parse(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{option} takes whole numbers from {min} to {max}, was '{value}'.");
}

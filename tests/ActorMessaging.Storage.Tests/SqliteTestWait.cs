using System.Diagnostics;

namespace ActorMessaging.Storage.Tests;

/// <summary>Waits for a condition with a deadline, never for a fixed time.</summary>
internal static class SqliteTestWait
{
    public static async Task UntilAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {description}.");
            }

            await Task.Yield();
            await Task.Delay(1);
        }
    }
}

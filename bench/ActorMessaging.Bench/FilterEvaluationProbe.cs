using System.Diagnostics;
using ActorMessaging.Filters;

namespace ActorMessaging.Bench;

/// <summary>Nanoseconds per evaluation of a compiled subscription filter, on one thread, outside any grain.</summary>
internal static class FilterEvaluationProbe
{
    public static double NanosecondsPerEvaluation(string filter, IReadOnlyList<StoredMessage> messages, TimeSpan duration)
    {
        var compiled = MessageFilter.Compile(filter);
        long evaluations = 0, matched = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            foreach (var message in messages)
            {
                matched += compiled.Matches(message) ? 1 : 0;
            }

            evaluations += messages.Count;
        }

        // Keeps the loop from being optimised away.
        GC.KeepAlive(matched);
        return clock.Elapsed.TotalNanoseconds / evaluations;
    }
}

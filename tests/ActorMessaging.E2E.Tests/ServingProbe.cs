using System.Diagnostics;
using System.Net.Http.Json;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Measures when a topic serves again: a publish is launched every <see cref="Interval"/>, overlapping, so a call that
/// blocks on a frozen silo does not hide a later one that succeeds. The result is the time from the fault to the end of
/// the first publish that succeeded.
/// </summary>
internal static class ServingProbe
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Publishes one small message to <paramref name="topic"/> over the HTTP API of <paramref name="gateway"/>; throws unless 2xx.</summary>
    public static async Task PublishAsync(HttpClient http, Uri gateway, string topic, CancellationToken cancellationToken)
    {
        var body = new { messages = new[] { new { id = Guid.NewGuid().ToString("N"), data = new { probe = true } } } };
        using var response = await http.PostAsJsonAsync(new Uri(gateway, $"v1/topics/{topic}/messages"), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Returns the time from <paramref name="fault"/> until a publish succeeded, or null when none did within
    /// <paramref name="limit"/> of the fault.
    /// </summary>
    /// <param name="publish">One publish attempt; throws when it fails.</param>
    /// <param name="fault">Started when the fault was injected.</param>
    /// <param name="limit">How long to try, measured from the fault.</param>
    public static async Task<TimeSpan?> TimeToServeAsync(Func<CancellationToken, Task> publish, Stopwatch fault, TimeSpan limit)
    {
        using var stop = new CancellationTokenSource();
        var attempts = new List<Task<TimeSpan?>>();
        try
        {
            while (fault.Elapsed < limit)
            {
                attempts.Add(AttemptAsync(publish, fault, limit - fault.Elapsed, stop.Token));

                // Paces the attempts; whichever finishes first ends the pause early.
                await Task.WhenAny(attempts.Where(a => !a.IsCompleted).Append(Task.Delay(Interval)));
                if (attempts.Where(a => a.IsCompletedSuccessfully && a.Result is not null).Select(a => a.Result).Min() is { } first)
                {
                    return first;
                }
            }

            return null;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(attempts);
        }
    }

    private static async Task<TimeSpan?> AttemptAsync(Func<CancellationToken, Task> publish, Stopwatch fault, TimeSpan remaining, CancellationToken stop)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(remaining);
        try
        {
            await publish(timeout.Token).WaitAsync(timeout.Token);
            return fault.Elapsed;
        }
        catch (Exception)
        {
            // A failed attempt is what unavailability looks like here (refused, 5xx, timed out): the next one tells more.
            return null;
        }
    }
}

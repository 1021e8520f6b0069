using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Logs what the gateway refuses once per caller and reason per <see cref="Interval"/>, with how many refusals the line
/// stands for, and counts every one in <c>actormessaging.gateway.refusals</c> (tagged by reason, never by caller). A
/// flood of bad requests from one source then costs one line a minute, not one per request, and no stack traces.
/// </summary>
internal sealed partial class RefusalLog(TimeProvider time, ILogger<RefusalLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Callers are keyed by identity or address; an attacker cycling addresses must not grow this without bound.
    private const int MaxTracked = 10_000;

    private static readonly Counter<long> Refusals = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.gateway.refusals", "{refusal}", "Requests, hub connections and hub calls this gateway refused, by reason.");

    private readonly ConcurrentDictionary<(string Caller, RefusalReason Reason), Window> _windows = new();

    /// <param name="reason">Why.</param>
    /// <param name="caller">Who (<see cref="CallerIdentity"/>).</param>
    /// <param name="what">What was refused, e.g. <c>GET /v1/topics</c> or <c>hub Publish</c>.</param>
    /// <param name="detail">The reason the caller was told.</param>
    public void Refused(RefusalReason reason, string caller, string what, string detail)
    {
        var tag = Tag(reason);
        Refusals.Add(1, new KeyValuePair<string, object?>("reason", tag));
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        if (_windows.Count >= MaxTracked)
        {
            Prune();
        }

        var window = _windows.GetOrAdd((caller, reason), _ => new Window());
        long alsoRefused;
        lock (window)
        {
            var now = time.GetTimestamp();
            if (window.LoggedAt is { } logged && time.GetElapsedTime(logged, now) < Interval)
            {
                window.Unlogged++;
                return;
            }

            (alsoRefused, window.Unlogged, window.LoggedAt) = (window.Unlogged, 0, now);
        }

        LogRefused(what, caller, tag, detail, alsoRefused);
    }

    private void Prune()
    {
        var now = time.GetTimestamp();
        foreach (var (key, window) in _windows)
        {
            if (window.LoggedAt is not { } logged || time.GetElapsedTime(logged, now) >= Interval)
            {
                _windows.TryRemove(key, out _);
            }
        }

        if (_windows.Count >= MaxTracked)
        {
            // Every one of them is within its interval: forgetting them costs at most one extra line per caller.
            _windows.Clear();
        }
    }

    private static string Tag(RefusalReason reason) => reason switch
    {
        RefusalReason.Unauthenticated => "unauthenticated",
        RefusalReason.Forbidden => "forbidden",
        RefusalReason.RateLimited => "rate_limited",
        RefusalReason.ConnectionLimit => "connection_limit",
        _ => "other",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {What} from {Caller}: {Reason}: {Detail} ({AlsoRefused} more refused for this reason since the last line)")]
    private partial void LogRefused(string what, string caller, string reason, string detail, long alsoRefused);

    private sealed class Window
    {
        public long? LoggedAt { get; set; }

        public long Unlogged { get; set; }
    }
}

using System.Globalization;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// An ack id names one lease: the activation that issued it (epoch), the sequence and the attempt.
/// A stale id is recognised as such instead of settling a later delivery of the same message.
/// </summary>
internal static class AckId
{
    public static string Format(int epoch, long sequence, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{epoch:x8}-{sequence:x}-{attempt:x}");

    public static bool TryParse(string? ackId, out int epoch, out long sequence, out int attempt)
    {
        epoch = 0;
        sequence = 0;
        attempt = 0;
        if (ackId is null || ackId.Length > 64)
        {
            return false;
        }

        var span = ackId.AsSpan();
        var first = span.IndexOf('-');
        if (first < 0)
        {
            return false;
        }

        var rest = span[(first + 1)..];
        var second = rest.IndexOf('-');
        return second >= 0
            && int.TryParse(span[..first], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out epoch)
            && long.TryParse(rest[..second], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out sequence)
            && int.TryParse(rest[(second + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out attempt)
            && sequence > 0 && attempt > 0;
    }
}

using System.Text;

namespace ActorMessaging.Grains.Tests;

internal static class TestMessages
{
    public static OutgoingMessage Text(string text, string? id = null, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(id, Encoding.UTF8.GetBytes(text), "text/plain", attributes);

    public static OutgoingMessage[] Many(int count, string prefix = "m") =>
        [.. Enumerable.Range(0, count).Select(i => Text($"{prefix}{i}"))];

    public static string TextOf(StoredMessage message) => Encoding.UTF8.GetString(message.Data.Span);
}

namespace ActorMessaging;

/// <summary>The grain key of a subscription: <c>{topic}/{subscription}</c>. Names cannot contain '/', so it splits unambiguously.</summary>
public static class SubscriptionKey
{
    public static string Format(string topic, string subscription) => $"{topic}/{subscription}";

    public static (string Topic, string Subscription) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (key, string.Empty) : (key[..slash], key[(slash + 1)..]);
    }
}

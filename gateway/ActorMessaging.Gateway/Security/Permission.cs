using System.Diagnostics.CodeAnalysis;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// One grant: <c>admin</c> (everything), <c>metrics</c> (scraping <c>/metrics</c>, nothing else), or <c>publish:{pattern}</c> / <c>subscribe:{pattern}</c> where the pattern is a
/// topic name, or a prefix ending in <c>*</c> (<c>orders.*</c> matches <c>orders.created</c>; <c>*</c> matches every topic).
/// </summary>
internal readonly record struct Permission(TopicAccess Access, string Pattern)
{
    public const string Admin = "admin";
    public const string Metrics = "metrics";
    public const string PublishPrefix = "publish:";
    public const string SubscribePrefix = "subscribe:";

    public bool Matches(string topic) => Pattern.EndsWith('*')
        ? topic.StartsWith(Pattern.AsSpan(0, Pattern.Length - 1), StringComparison.Ordinal)
        : string.Equals(topic, Pattern, StringComparison.Ordinal);

    public override string ToString() => Access switch
    {
        TopicAccess.Publish => PublishPrefix + Pattern,
        TopicAccess.Subscribe => SubscribePrefix + Pattern,
        TopicAccess.Metrics => Metrics,
        _ => Admin,
    };

    /// <summary>The permission <paramref name="access"/> to <paramref name="topic"/> needs, as it is written.</summary>
    public static string Needed(TopicAccess access, string topic) => access switch
    {
        TopicAccess.Publish => PublishPrefix + topic,
        TopicAccess.Subscribe => SubscribePrefix + topic,
        TopicAccess.Any => $"{PublishPrefix}{topic}' or '{SubscribePrefix}{topic}",
        _ => Admin,
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out Permission? permission)
    {
        permission = null;
        text = text?.Trim();
        if (string.Equals(text, Admin, StringComparison.Ordinal))
        {
            permission = new Permission(TopicAccess.Admin, "*");
        }
        else if (string.Equals(text, Metrics, StringComparison.Ordinal))
        {
            permission = new Permission(TopicAccess.Metrics, "*");
        }
        else if (text?.StartsWith(PublishPrefix, StringComparison.Ordinal) == true && IsPattern(text[PublishPrefix.Length..]))
        {
            permission = new Permission(TopicAccess.Publish, text[PublishPrefix.Length..]);
        }
        else if (text?.StartsWith(SubscribePrefix, StringComparison.Ordinal) == true && IsPattern(text[SubscribePrefix.Length..]))
        {
            permission = new Permission(TopicAccess.Subscribe, text[SubscribePrefix.Length..]);
        }

        return permission is not null;
    }

    /// <summary>A topic name, <c>*</c>, or a name prefix followed by <c>*</c>.</summary>
    private static bool IsPattern(string pattern) =>
        pattern == "*" || EntityNames.IsValid(pattern.EndsWith('*') ? pattern[..^1] : pattern);
}

namespace ActorMessaging.Filters;

/// <summary>
/// Resolves a property name in a filter: <c>sys.messageId</c>, <c>sys.contentType</c>,
/// <c>sys.orderingKey</c> and <c>sys.sequence</c> are system properties (names ignore case); anything
/// else, optionally prefixed <c>user.</c>, is a message attribute (exact name). A missing attribute is
/// unknown, as in Service Bus; an unknown system property is an error at compile time.
/// </summary>
internal static class FilterProperties
{
    public const string Expected = "a system property (sys.messageId, sys.contentType, sys.orderingKey or sys.sequence)";

    private const string SystemScope = "sys.";
    private const string UserScope = "user.";

    /// <summary>The value getter for <paramref name="name"/>, or null when it names no system property.</summary>
    public static Func<StoredMessage, object?>? Resolve(string name, bool quoted)
    {
        if (quoted)
        {
            return Attribute(name);
        }

        if (name.StartsWith(SystemScope, StringComparison.OrdinalIgnoreCase))
        {
            return name[SystemScope.Length..].ToUpperInvariant() switch
            {
                "MESSAGEID" => static m => m.MessageId,
                "CONTENTTYPE" => static m => m.ContentType,
                "ORDERINGKEY" => static m => m.OrderingKey,
                "SEQUENCE" => static m => (double)m.Sequence,
                _ => null,
            };
        }

        return Attribute(name.StartsWith(UserScope, StringComparison.OrdinalIgnoreCase) ? name[UserScope.Length..] : name);
    }

    private static Func<StoredMessage, object?> Attribute(string key) =>
        m => m.Attributes is { } attributes && attributes.TryGetValue(key, out var value) ? value : null;
}

namespace ActorMessaging.Filters;

/// <summary>
/// A compiled message filter (the SQL-like language of subscription filters): parsed once, then evaluated per message.
/// The one public type of the filter language, so the grains (durable subscriptions) and the gateway (live
/// subscriptions) share one implementation.
/// </summary>
public sealed class MessageFilter
{
    public const int MaxLength = 4096;

    public static readonly MessageFilter All = new(null, static _ => true);

    private readonly Func<StoredMessage, bool?> _predicate;

    private MessageFilter(string? expression, Func<StoredMessage, bool?> predicate)
    {
        Expression = expression;
        _predicate = predicate;
    }

    /// <summary>The filter's text; null for the filter that takes every message.</summary>
    public string? Expression { get; }

    /// <summary>Compiles <paramref name="expression"/>; null takes every message.</summary>
    /// <exception cref="BrokerException"><see cref="ErrorCode.InvalidFilter"/> naming the position and what was expected there.</exception>
    public static MessageFilter Compile(string? expression)
    {
        if (expression is null)
        {
            return All;
        }

        if (expression.Length > MaxLength)
        {
            throw new BrokerException(ErrorCode.InvalidFilter, $"Filter is {expression.Length} characters long; at most {MaxLength} are allowed.");
        }

        return new MessageFilter(expression, FilterParser.Parse(expression));
    }

    /// <summary>True when the message belongs to the subscription; unknown (a missing attribute, say) counts as no.</summary>
    public bool Matches(StoredMessage message) => _predicate(message) == true;
}

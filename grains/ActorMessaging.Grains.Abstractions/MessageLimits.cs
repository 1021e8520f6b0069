namespace ActorMessaging;

/// <summary>Hard limits on publish input, checked before anything is accepted.</summary>
public static class MessageLimits
{
    /// <summary>No topic may allow messages larger than this.</summary>
    public const int MaxMessageBytesCap = 1024 * 1024;

    public const int MaxBatchMessages = 1000;

    /// <summary>Total bytes of one publish call.</summary>
    public const int MaxBatchBytes = 10 * 1024 * 1024;

    public const int MaxMessageIdLength = 128;
    public const int MaxContentTypeLength = 256;
    public const int MaxOrderingKeyLength = 1024;
    public const int MaxAttributes = 100;

    /// <summary>Shortest time to live a message or a topic default may have.</summary>
    public static readonly TimeSpan MinTimeToLive = TimeSpan.FromSeconds(1);
    public const int MaxAttributeKeyLength = 256;
    public const int MaxAttributeValueLength = 1024;

    /// <summary>Size of a message counted as payload plus every string it carries (UTF-16 length, a cheap upper-bound proxy).</summary>
    public static int SizeOf(int dataLength, string? messageId, string? contentType, IReadOnlyDictionary<string, string>? attributes, string? orderingKey)
    {
        var size = dataLength + (messageId?.Length ?? 0) + (contentType?.Length ?? 0) + (orderingKey?.Length ?? 0);
        if (attributes is not null)
        {
            foreach (var (key, value) in attributes)
            {
                size += key.Length + (value?.Length ?? 0);
            }
        }

        return size;
    }
}

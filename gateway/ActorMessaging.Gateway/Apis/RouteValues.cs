using System.Globalization;

namespace ActorMessaging.Gateway.Apis;

/// <summary>
/// Checks route names and query values before any grain is called: Orleans rejects some keys itself
/// (an empty one), and a bad name must be <see cref="ErrorCode.InvalidName"/>, not a transport error.
/// </summary>
internal static class RouteValues
{
    public static void Topic(string topic)
    {
        if (!EntityNames.IsValid(topic))
        {
            throw new BrokerException(ErrorCode.InvalidName, $"'{topic}' is not a valid topic name: it must match {EntityNames.Pattern}.");
        }
    }

    public static void Subscription(string topic, string subscription)
    {
        Topic(topic);
        if (!EntityNames.IsValid(subscription))
        {
            throw new BrokerException(ErrorCode.InvalidName, $"'{subscription}' is not a valid subscription name: it must match {EntityNames.Pattern}.");
        }
    }

    /// <summary>An integer query parameter, or <paramref name="fallback"/> when it is absent.</summary>
    public static int Int(string? value, string name, int fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new BrokerException(ErrorCode.InvalidArgument, $"Query parameter '{name}' must be an integer, was '{value}'.");
    }
}

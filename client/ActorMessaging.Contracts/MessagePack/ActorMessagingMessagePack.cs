using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// MessagePack settings for the gateway's hub with the MessagePack protocol: the same shapes and field names as
/// JSON, payloads as binary. A .NET SignalR client opts in with
/// <c>.AddMessagePackProtocol(o =&gt; o.SerializerOptions = ActorMessagingMessagePack.SerializerOptions)</c>.
/// </summary>
public static class ActorMessagingMessagePack
{
    /// <summary>For clients: wire types in the web JSON conventions (camelCase), untrusted-data limits.</summary>
    public static MessagePackSerializerOptions SerializerOptions { get; } = Create(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Wire types shaped by <paramref name="json"/>, plus <paramref name="formatters"/> for types a host encodes itself.</summary>
    public static MessagePackSerializerOptions Create(JsonSerializerOptions json, params IMessagePackFormatter[] formatters)
    {
        var added = formatters.ToDictionary(FormattedType);
        var resolver = CompositeResolver.Create(new WireFormatterResolver(json, added), StandardResolver.Instance);
        return MessagePackSerializerOptions.Standard.WithResolver(resolver).WithSecurity(MessagePackSecurity.UntrustedData);
    }

    private static Type FormattedType(IMessagePackFormatter formatter) =>
        formatter.GetType().GetInterfaces()
            .Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMessagePackFormatter<>))
            .GetGenericArguments()[0];
}

using System.Collections.Concurrent;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// Formatters for ActorMessaging's wire types: <see cref="ReceivedMessage"/> by hand, the types a caller adds, and
/// every other class of an ActorMessaging assembly through its JSON shape. Anything else (strings, numbers,
/// collections of wire types) is left to MessagePack's standard resolver.
/// </summary>
internal sealed class WireFormatterResolver(JsonSerializerOptions json, IReadOnlyDictionary<Type, IMessagePackFormatter> added) : IFormatterResolver
{
    private readonly ConcurrentDictionary<Type, IMessagePackFormatter?> _formatters = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() =>
        (IMessagePackFormatter<T>?)_formatters.GetOrAdd(typeof(T), static (type, resolver) => resolver.Create<T>(type), this);

    private IMessagePackFormatter? Create<T>(Type type)
    {
        if (added.TryGetValue(type, out var formatter))
        {
            return formatter;
        }

        if (type == typeof(ReceivedMessage))
        {
            return ReceivedMessageFormatter.Instance;
        }

        if (IsWireType(type))
        {
            return new JsonBridgeFormatter<T>(json);
        }

        return CompilerGeneratedItemType(type) is { } item
            ? (IMessagePackFormatter?)Activator.CreateInstance(typeof(SequenceFormatter<,>).MakeGenericType(type, item))
            : null;
    }

    /// <summary>The item type of a compiler-generated collection (what a collection expression makes), else null.</summary>
    private static Type? CompilerGeneratedItemType(Type type) =>
        type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false)
            ? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;

    // Arrays count as classes of their element's assembly; they are collections, left to the standard resolver like lists.
    private static bool IsWireType(Type type) =>
        type.IsClass && !type.IsGenericType && !type.IsArray && type.Assembly.GetName().Name?.StartsWith("ActorMessaging", StringComparison.Ordinal) == true;
}

using MessagePack;
using MessagePack.Formatters;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// Writes a collection type MessagePack's resolvers do not know as an array of its items. SignalR serializes an
/// argument by its runtime type, and a collection expression passed as <c>IReadOnlyList&lt;T&gt;</c> is a
/// compiler-generated class (<c>&lt;&gt;z__ReadOnlyList</c>); the reader sees an ordinary array.
/// </summary>
internal sealed class SequenceFormatter<TCollection, TItem> : IMessagePackFormatter<TCollection>
    where TCollection : IEnumerable<TItem>
{
    public void Serialize(ref MessagePackWriter writer, TCollection value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var items = value as IReadOnlyCollection<TItem> ?? [.. value];
        var formatter = options.Resolver.GetFormatterWithVerify<TItem>();
        writer.WriteArrayHeader(items.Count);
        foreach (var item in items)
        {
            formatter.Serialize(ref writer, item, options);
        }
    }

    public TCollection Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new NotSupportedException($"{typeof(TCollection)} is only written; read an array or a list.");
}

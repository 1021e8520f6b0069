using Orleans.Runtime;

namespace ActorMessaging.Storage.Postgres;

/// <summary>
/// Maps grain ids to the ids Orleans' ADO.NET storage is given, so that every string key keeps its own row.
/// </summary>
/// <remarks>
/// The ADO.NET provider stores a key that parses as a hexadecimal number or a GUID as that number, not as text:
/// the topics "beef", "BEEF" and "0beef" would all be the integer 0xBEEF and share one row. Such keys get a
/// marker appended, a character that no entity name contains and that sorts below every character one does
/// ('!' is below '-', '.', digits and letters), so escaped keys keep the ordinal order of the names and a
/// prefix listing stays one range scan.
/// </remarks>
internal static class PostgresGrainKeys
{
    public const char Marker = '!';

    /// <summary>True when the provider would store <paramref name="grainId"/>'s key as a number or GUID.</summary>
    public static bool IsAmbiguous(GrainId grainId) =>
        grainId.TryGetIntegerKey(out _, out _) || grainId.TryGetGuidKey(out _, out _);

    public static GrainId ToStored(GrainId grainId) =>
        IsAmbiguous(grainId) ? GrainId.Create(grainId.Type, IdSpan.Create(grainId.Key.ToString() + Marker)) : grainId;

    public static string FromStored(string key) => key.EndsWith(Marker) ? key[..^1] : key;

    public static string ToStored(string key) => IsAmbiguous(GrainId.Create("key", key)) ? key + Marker : key;
}

using Orleans.Runtime;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>The primary key of one stored state: the grain's type and key as text, plus the state name.</summary>
internal readonly record struct SqliteStateKey(string GrainType, string GrainKey, string StateName)
{
    // Type and key are stored separately (not as one "type/key" string) so rows of one grain type, and the
    // chunks of one topic ("orders/0/…"), are adjacent in the primary-key index and can be range-scanned.
    public static SqliteStateKey From(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return new SqliteStateKey(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);
    }

    public override string ToString() => $"state '{StateName}' of grain '{GrainType}/{GrainKey}'";
}

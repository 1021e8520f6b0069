namespace ActorMessaging.Bench;

/// <summary>The grain storage a benchmark silo runs on.</summary>
internal enum BenchStore
{
    /// <summary>Orleans memory grain storage: nothing is durable; the ceiling of the grains and the runtime.</summary>
    Memory,

    /// <summary>The embedded SQLite store in a temp-folder file (WAL, synchronous=FULL).</summary>
    Sqlite,

    /// <summary>A throwaway PostgreSQL server (fsync on) through the Orleans ADO.NET providers.</summary>
    Postgres,
}

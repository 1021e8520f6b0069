namespace ActorMessaging.Storage.Sqlite;

/// <summary>The store's SQL, in one place so the schema and the statements that rely on it are read together.</summary>
internal static class SqliteSchema
{
    // A rowid table rather than WITHOUT ROWID: SQLite recommends WITHOUT ROWID only for rows well under
    // 1/20 of a page, and our rows are log chunks of 1-400 KB. The primary key still gets its own index.
    //
    // grain_state_meta keeps the highest ETag ever handed out. ETags come from one store-wide counter rather
    // than a per-row counter, so a row that is cleared (deleted) and written again never reuses an ETag: a
    // stale activation holding an ETag from before the clear cannot overwrite the new record.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_key TEXT NOT NULL,
            state_name TEXT NOT NULL,
            etag INTEGER NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (grain_type, grain_key, state_name)
        );
        CREATE TABLE IF NOT EXISTS grain_state_meta (
            name TEXT NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO grain_state_meta (name, value) VALUES ('last_etag', 0) ON CONFLICT DO NOTHING;
        """;

    public const string ReadLastEtag = "SELECT value FROM grain_state_meta WHERE name = 'last_etag';";

    public const string SaveLastEtag = "UPDATE grain_state_meta SET value = $etag WHERE name = 'last_etag';";

    private const string KeyMatch = "grain_type = $type AND grain_key = $key AND state_name = $state";

    public const string Select = $"SELECT etag, payload FROM grain_state WHERE {KeyMatch};";

    public const string SelectEtag = $"SELECT etag FROM grain_state WHERE {KeyMatch};";

    // A null ETag means "I believe there is no record": insert, and report a conflict if one exists.
    public const string Insert = """
        INSERT INTO grain_state (grain_type, grain_key, state_name, etag, payload)
        VALUES ($type, $key, $state, $etag, $payload)
        ON CONFLICT DO NOTHING;
        """;

    public const string Update = $"UPDATE grain_state SET etag = $etag, payload = $payload WHERE {KeyMatch} AND etag = $expected;";

    public const string Delete = $"DELETE FROM grain_state WHERE {KeyMatch} AND etag = $expected;";

    /// <summary>
    /// Keys of one grain type with a record of one state, from a start key, in key order: a range scan of the
    /// primary key, which leads with (grain_type, grain_key). The caller appends the bounds.
    /// </summary>
    public const string ListKeys = "SELECT grain_key FROM grain_state WHERE grain_type = $type AND state_name = $state";

    public const string ListKeysFrom = " AND grain_key >= $start";

    public const string ListKeysAfter = " AND grain_key > $start";

    public const string ListKeysBefore = " AND grain_key < $end";

    public const string ListKeysOrder = " ORDER BY grain_key LIMIT $max;";
}

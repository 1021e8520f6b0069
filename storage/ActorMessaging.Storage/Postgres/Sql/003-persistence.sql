-- ActorMessaging PostgreSQL schema, part 3 of 3: grain state (Microsoft.Orleans.Persistence.AdoNet 10.4.2).
--
-- Query keys the provider reads at start-up: WriteToStorageKey, ReadFromStorageKey, ClearStorageKey
-- (required) and DeleteStorageKey (required only with DeleteStateOnClear = true; it deletes the row
-- instead of keeping a NULL-payload tombstone).
--
-- What 10.4.2 binds: @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId (every query), @GrainStateVersion (write, clear, delete; NULL for a
-- record never read), @PayloadBinary (write; the serialized state, whatever the serializer). It reads
-- PayloadBinary and Version from a read, NewGrainStateVersion from a write, and the first column from a
-- clear or delete. It reports a conflict (InconsistentStateException) when the returned version is NULL or
-- equal to the version it sent, so every write, clear and delete returns exactly one row: the new version
-- on success, the caller's version unchanged (NULL for a new record) when nothing was written. Note that
-- an UPDATE ... RETURNING returning no row would NOT be reported as a conflict for a stale version.
--
-- Identity: the provider passes the state name (not the grain type) as GrainTypeString, and the grain
-- key as GrainIdN0/N1 (GUID or integer keys) or GrainIdExtensionString (string keys and key extensions).
-- The hashes are derived from those, so the primary key is the full identity and the hashes are only
-- stored. A real primary key makes concurrent first writes of one key safe (exactly one INSERT wins)
-- where a hash index plus WHERE NOT EXISTS is not. NULL extensions are stored as '' so the key needs no
-- nullable column.
--
-- Cost of the hot path, a brand-new key: one round trip (SELECT of a plpgsql function whose statements
-- are planned once per connection), one INSERT ... ON CONFLICT DO NOTHING (a single unique-index probe and
-- insertion, no prior SELECT), one index: the primary key. Key columns use the "C" collation so index
-- comparisons are byte comparisons, and keys sort by (service, state name, key) so consecutive chunks of
-- one log land on neighbouring index pages instead of random ones. Payloads above ~2 KB are TOASTed; lz4
-- (PostgreSQL 14+, when the server is built with it) compresses them several times faster than the
-- default pglz, and gives up quickly on incompressible data.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdN0 bigint NOT NULL,
    GrainIdN1 bigint NOT NULL,
    ModifiedOn timestamptz NOT NULL,
    GrainIdHash integer NOT NULL,
    GrainTypeHash integer NOT NULL,
    Version integer NOT NULL,
    ServiceId varchar(150) COLLATE "C" NOT NULL,
    GrainTypeString varchar(512) COLLATE "C" NOT NULL,
    GrainIdExtensionString varchar(512) COLLATE "C" NOT NULL,
    PayloadBinary bytea NULL,

    CONSTRAINT PK_OrleansStorage
        PRIMARY KEY (ServiceId, GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1)
);

DO $do$
BEGIN
    -- Nested IFs: PL/pgSQL plans each condition only when it is reached, and attcompression only
    -- exists from PostgreSQL 14.
    IF current_setting('server_version_num')::integer >= 140000 THEN
        IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))
           AND EXISTS (SELECT 1 FROM pg_attribute
                       WHERE attrelid = 'orleansstorage'::regclass AND attname = 'payloadbinary'
                         AND attcompression IS DISTINCT FROM 'l') THEN
            ALTER TABLE OrleansStorage ALTER COLUMN PayloadBinary SET COMPRESSION lz4;
        END IF;
    END IF;
END
$do$;

-- Inserts (version NULL) or updates (version = the caller's) one grain state. Returns the new version, or
-- the caller's version unchanged when the row exists already / is at another version / does not exist.
CREATE OR REPLACE FUNCTION orleans_write_to_storage(
    p_grain_id_hash integer,
    p_grain_id_n0 bigint,
    p_grain_id_n1 bigint,
    p_grain_type_hash integer,
    p_grain_type_string text,
    p_grain_id_extension_string text,
    p_service_id text,
    p_grain_state_version integer,
    p_payload_binary bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_new_version integer;
BEGIN
    IF p_grain_state_version IS NULL THEN
        INSERT INTO OrleansStorage
            (ServiceId, GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1,
             GrainIdHash, GrainTypeHash, Version, ModifiedOn, PayloadBinary)
        VALUES
            (p_service_id, p_grain_type_string, COALESCE(p_grain_id_extension_string, ''), p_grain_id_n0, p_grain_id_n1,
             p_grain_id_hash, p_grain_type_hash, 1, now(), p_payload_binary)
        ON CONFLICT ON CONSTRAINT PK_OrleansStorage DO NOTHING
        RETURNING Version INTO v_new_version;
    ELSE
        UPDATE OrleansStorage
        SET PayloadBinary = p_payload_binary,
            Version = Version + 1,
            ModifiedOn = now()
        WHERE ServiceId = p_service_id
          AND GrainTypeString = p_grain_type_string
          AND GrainIdExtensionString = COALESCE(p_grain_id_extension_string, '')
          AND GrainIdN0 = p_grain_id_n0
          AND GrainIdN1 = p_grain_id_n1
          AND Version = p_grain_state_version
        RETURNING Version INTO v_new_version;
    END IF;

    RETURN COALESCE(v_new_version, p_grain_state_version);
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey',
    $q$
    SELECT orleans_write_to_storage(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;
    $q$
),
(
    'ReadFromStorageKey',
    -- A cleared record (NULL payload) still returns its version, which the next write must present.
    $q$
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1;
    $q$
),
(
    'ClearStorageKey',
    -- Keeps the row as a NULL-payload tombstone with a bumped version (DeleteStateOnClear = false).
    $q$
    WITH cleared AS
    (
        UPDATE OrleansStorage
        SET PayloadBinary = NULL,
            Version = Version + 1,
            ModifiedOn = now()
        WHERE ServiceId = @ServiceId
          AND GrainTypeString = @GrainTypeString
          AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
          AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1
          AND Version = @GrainStateVersion
        RETURNING Version
    )
    SELECT COALESCE((SELECT Version FROM cleared), @GrainStateVersion) AS NewGrainStateVersion;
    $q$
),
(
    'DeleteStorageKey',
    -- Removes the row (DeleteStateOnClear = true); the next write is an insert with a NULL version.
    $q$
    WITH deleted AS
    (
        DELETE FROM OrleansStorage
        WHERE ServiceId = @ServiceId
          AND GrainTypeString = @GrainTypeString
          AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
          AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1
          AND Version = @GrainStateVersion
        RETURNING Version
    )
    SELECT COALESCE((SELECT Version + 1 FROM deleted), @GrainStateVersion) AS NewGrainStateVersion;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

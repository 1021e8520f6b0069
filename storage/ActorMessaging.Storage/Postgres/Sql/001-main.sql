-- ActorMessaging PostgreSQL schema, part 1 of 3: the named-query table the Orleans ADO.NET providers read.
--
-- Written for Microsoft.Orleans.Clustering.AdoNet and Microsoft.Orleans.Persistence.AdoNet 10.4.2 with
-- Invariant "Npgsql". The providers know nothing about tables: at start-up they load the rows of
-- OrleansQuery and later run those texts, binding @-parameters by name and reading result columns by
-- name. The contract is therefore: the query keys, the parameter names, the result column names. Every
-- table, function and query text below is ours to shape as long as that contract holds.
--
-- Every script is idempotent (IF NOT EXISTS, CREATE OR REPLACE, upserts): applying it again, at every
-- silo start, or from several silos at once (PostgresSchema serializes appliers with
-- pg_advisory_xact_lock) changes nothing that is already right and duplicates nothing.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText text NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- Which version of each embedded script was applied last (SHA-256 of its text). PostgresSchema skips
-- a start-up apply when every script matches, so a silo restart takes no catalog locks at all.
CREATE TABLE IF NOT EXISTS ActorMessagingSchemaScript
(
    ScriptName varchar(200) NOT NULL,
    Sha256 char(64) NOT NULL,
    AppliedOn timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT PK_ActorMessagingSchemaScript PRIMARY KEY (ScriptName)
);

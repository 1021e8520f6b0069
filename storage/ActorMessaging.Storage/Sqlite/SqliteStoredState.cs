namespace ActorMessaging.Storage.Sqlite;

/// <summary>One row as read back: its version and the serialized state.</summary>
internal sealed record SqliteStoredState(long Etag, byte[] Payload);

namespace ActorMessaging.Storage.Sqlite;

internal enum SqliteStoreOperationKind
{
    Write,
    Clear,
}

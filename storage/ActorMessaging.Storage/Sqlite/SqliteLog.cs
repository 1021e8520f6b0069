using Microsoft.Extensions.Logging;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>The store's log messages; event ids 4100-4199 belong to the SQLite store.</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Opened SQLite store {Path} (journal_mode={JournalMode}, synchronous=FULL, last ETag {LastEtag})")]
    public static partial void StoreOpened(ILogger logger, string path, string journalMode, long lastEtag);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Closed SQLite store {Path} after {Operations} operations in {Transactions} transactions")]
    public static partial void StoreClosed(ILogger logger, string path, long operations, long transactions);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Trace,
        Message = "Committed {Operations} operations ({Bytes} bytes) in one transaction in {ElapsedMilliseconds:0.0} ms")]
    public static partial void BatchCommitted(ILogger logger, int operations, long bytes, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "A transaction of {Operations} operations failed; retrying each operation in its own transaction so only the failing ones fail")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int operations);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Critical,
        Message = "The writer of SQLite store {Path} stopped unexpectedly; pending and future writes fail")]
    public static partial void WriterFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning,
        Message = "Grain storage '{StorageName}': {Message}")]
    public static partial void EtagConflict(ILogger logger, string storageName, string message);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Error,
        Message = "Grain storage '{StorageName}' failed to {Operation} {Key}")]
    public static partial void StorageOperationFailed(ILogger logger, Exception exception, string storageName, string operation, SqliteStateKey key);
}

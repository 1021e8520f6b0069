using System.Collections.Concurrent;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// Point readers kept between reads. Every activation reads its record, so a silo creating topics reads thousands of
/// times a second: a fresh pooled <c>SqliteConnection</c> per read parsed the SELECT again each time and contended on
/// the driver's pool lock, both visible in profiles of <c>bench scale</c>. A reader is taken by one caller, so at most
/// as many exist as reads ever ran at once, and only <see cref="MaxIdle"/> of them are kept.
/// </summary>
internal sealed class SqliteReaderPool(string connectionString) : IDisposable
{
    private static readonly int MaxIdle = Math.Max(8, Environment.ProcessorCount * 4);

    // Last in, first out: the readers in use stay warm, and the idle surplus is what gets dropped.
    private readonly ConcurrentStack<SqlitePointReader> _idle = new();
    private int _disposed;

    public SqliteStoredState? Read(SqliteStateKey key)
    {
        var reader = _idle.TryPop(out var pooled) ? pooled : new SqlitePointReader(connectionString);
        SqliteStoredState? result;
        try
        {
            result = reader.Read(key);
        }
        catch
        {
            // A reader that failed may be in any state: it is not reused.
            reader.Dispose();
            throw;
        }

        Return(reader);
        return result;
    }

    /// <summary>Closes the idle readers; one still reading is closed when it comes back.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        while (_idle.TryPop(out var reader))
        {
            reader.Dispose();
        }
    }

    private void Return(SqlitePointReader reader)
    {
        if (_idle.Count >= MaxIdle)
        {
            reader.Dispose();
            return;
        }

        _idle.Push(reader);

        // Disposed while this one was reading: the sweep in Dispose may have run already.
        if (Volatile.Read(ref _disposed) != 0 && _idle.TryPop(out var late))
        {
            late.Dispose();
        }
    }
}

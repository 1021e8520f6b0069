using Microsoft.Data.Sqlite;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// One read-only connection with the point read (<see cref="SqliteSchema.Select"/>) prepared once. Used by one caller at
/// a time, handed out by <see cref="SqliteReaderPool"/>.
/// </summary>
internal sealed class SqlitePointReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _select;
    private readonly SqliteParameter _type;
    private readonly SqliteParameter _key;
    private readonly SqliteParameter _state;

    public SqlitePointReader(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            _select = _connection.CreateCommand();
            _select.CommandText = SqliteSchema.Select;
            _type = _select.Parameters.Add("$type", SqliteType.Text);
            _key = _select.Parameters.Add("$key", SqliteType.Text);
            _state = _select.Parameters.Add("$state", SqliteType.Text);
            _select.Prepare();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The record under <paramref name="key"/>, or null. Disposing the data reader resets the statement, so an
    /// idle reader holds no snapshot and never keeps the WAL from being checkpointed.</summary>
    public SqliteStoredState? Read(SqliteStateKey key)
    {
        _type.Value = key.GrainType;
        _key.Value = key.GrainKey;
        _state.Value = key.StateName;
        using var reader = _select.ExecuteReader(System.Data.CommandBehavior.SingleRow);
        return reader.Read() ? new SqliteStoredState(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    public void Dispose()
    {
        _select.Dispose();
        _connection.Dispose();
    }
}

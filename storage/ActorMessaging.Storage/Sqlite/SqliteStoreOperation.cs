using System.Globalization;
using Orleans.Storage;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// One write or clear waiting for the writer. The writer records its outcome while the transaction is open and
/// publishes it only after the commit, so no caller learns of a result that could still be rolled back.
/// </summary>
internal sealed class SqliteStoreOperation(SqliteStoreOperationKind kind, SqliteStateKey key, long? expectedEtag, byte[]? payload)
{
    // Continuations run off the writer thread: the writer must get back to the next batch, not run grain code.
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SqliteStoreOperationKind Kind { get; } = kind;

    public SqliteStateKey Key { get; } = key;

    /// <summary>The ETag the caller last saw; null when it believes there is no record.</summary>
    public long? ExpectedEtag { get; } = expectedEtag;

    public byte[]? Payload { get; } = payload;

    public int PayloadLength => Payload?.Length ?? 0;

    /// <summary>Completes with the new ETag (0 for a clear) once committed.</summary>
    public Task<long> Completion => _completion.Task;

    // Outcome staged by the writer inside the open transaction.
    private bool _conflicted;
    private long? _storedEtag;
    private long _newEtag;

    public void StageSuccess(long newEtag)
    {
        _conflicted = false;
        _newEtag = newEtag;
    }

    public void StageConflict(long? storedEtag)
    {
        _conflicted = true;
        _storedEtag = storedEtag;
    }

    /// <summary>Called after the commit: hands the staged outcome to the caller.</summary>
    public void Publish()
    {
        if (_conflicted)
        {
            _completion.TrySetException(CreateConflict());
        }
        else
        {
            _completion.TrySetResult(_newEtag);
        }
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    private InconsistentStateException CreateConflict()
    {
        var expected = Format(ExpectedEtag);
        var stored = Format(_storedEtag);
        var verb = Kind == SqliteStoreOperationKind.Write ? "write" : "clear";
        return new InconsistentStateException(
            $"ETag conflict on {verb} of {Key}: the caller expected {Describe(expected)} but the store holds {Describe(stored)}.",
            stored,
            expected);
    }

    private static string? Format(long? etag) => etag?.ToString(CultureInfo.InvariantCulture);

    private static string Describe(string? etag) => etag is null ? "no record" : $"ETag '{etag}'";
}

using Xunit;

namespace ActorMessaging.Testing;

/// <summary>
/// A fact that needs local PostgreSQL binaries: skipped with the reason when they are missing,
/// except on CI (<c>CI=true</c>), where the test runs and fails at fixture start with the same reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresServer.IsCi && PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

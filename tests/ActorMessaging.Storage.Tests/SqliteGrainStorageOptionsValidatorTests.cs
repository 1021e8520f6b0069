using ActorMessaging.Storage.Sqlite;
using Orleans.Runtime;

namespace ActorMessaging.Storage.Tests;

public sealed class SqliteGrainStorageOptionsValidatorTests
{
    private static SqliteGrainStorageOptions Valid() => new() { GrainStorageSerializer = new SqliteJsonTestSerializer() };

    [Fact]
    public void Defaults_WithASerializer_AreValid() =>
        new SqliteGrainStorageOptionsValidator(Valid(), "am").ValidateConfiguration();

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x.db;Mode=Memory")]
    [InlineData("Data Source=")]
    [InlineData("Nonsense Key=1")]
    public void ConnectionString_ThatIsNotAFile_IsRejected_NamingStorageAndKey(string connectionString)
    {
        var options = Valid();
        options.ConnectionString = connectionString;

        var error = Assert.Throws<OrleansConfigurationException>(() => new SqliteGrainStorageOptionsValidator(options, "am-state").ValidateConfiguration());

        Assert.Contains("'am-state'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SqliteGrainStorageOptions.ConnectionString), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxBatchOperations_BelowOne_IsRejected_NamingTheKey()
    {
        var options = Valid();
        options.MaxBatchOperations = 0;

        var error = Assert.Throws<OrleansConfigurationException>(() => new SqliteGrainStorageOptionsValidator(options, "am").ValidateConfiguration());

        Assert.Contains(nameof(SqliteGrainStorageOptions.MaxBatchOperations), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSerializer_IsRejected_NamingTheKey()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => new SqliteGrainStorageOptionsValidator(new SqliteGrainStorageOptions(), "am").ValidateConfiguration());

        Assert.Contains(nameof(SqliteGrainStorageOptions.GrainStorageSerializer), error.Message, StringComparison.Ordinal);
    }
}

namespace ActorMessaging.Storage.Tests;

/// <summary>A small state record for the storage tests.</summary>
public sealed class SqliteTestState
{
    public string Text { get; set; } = "";

    public int Number { get; set; }

    public byte[] Data { get; set; } = [];
}

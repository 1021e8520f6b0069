using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

/// <summary>System.Text.Json grain storage serializer, so the storage tests need no Orleans code generation.</summary>
internal sealed class SqliteJsonTestSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>()!;
}

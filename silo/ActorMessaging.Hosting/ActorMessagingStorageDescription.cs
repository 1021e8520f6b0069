using ActorMessaging.Configuration;
namespace ActorMessaging.Hosting;

/// <summary>Where the data lives, in words for the start-up log (never the password).</summary>
public sealed record ActorMessagingStorageDescription(StorageProvider Provider, string Location);

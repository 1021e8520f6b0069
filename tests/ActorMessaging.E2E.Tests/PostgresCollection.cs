using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>The PostgreSQL tests of this assembly share one throwaway server.</summary>
[CollectionDefinition(PostgresFixture.CollectionName)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

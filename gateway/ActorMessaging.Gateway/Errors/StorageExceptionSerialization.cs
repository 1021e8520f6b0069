using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace ActorMessaging.Gateway.Errors;

/// <summary>
/// Lets PostgreSQL exceptions cross Orleans. Orleans serializes only exceptions from namespaces it trusts (Microsoft,
/// System, Azure: SQLite's are among them), so a raw Npgsql exception a grain let through could not be sent back to a
/// caller on another process, which got a serialization failure instead of something <see cref="GatewayErrors"/> can
/// recognize as a storage failure. Every silo co-hosts the gateway, so registering it here covers the silo that
/// throws and the gateway that receives.
/// </summary>
internal static class StorageExceptionSerialization
{
    public const string NpgsqlNamespace = "Npgsql";

    public static IServiceCollection AddStorageExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add(NpgsqlNamespace));
}

using Microsoft.Extensions.Configuration;

namespace ActorMessaging.AppHost;

/// <summary>
/// The PostgreSQL the cluster uses: an existing one when <c>ConnectionStrings:actormessaging</c> is given (a
/// parameter), otherwise a container. Machines without a container runtime must pass the connection string.
/// </summary>
internal static class PlatformDatabase
{
    public const string Name = "actormessaging";

    public static IResourceBuilder<IResourceWithConnectionString> Add(IDistributedApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(Name)))
        {
            Console.WriteLine($"ActorMessaging: using the existing PostgreSQL of ConnectionStrings:{Name}; no container is started.");
            return builder.AddConnectionString(Name);
        }

        if (!ContainerRuntime.IsAvailable())
        {
            throw new DistributedApplicationException(
                $"No container runtime (Docker or Podman) was found to start PostgreSQL. Pass an existing database instead: " +
                $"dotnet run --project deploy/ActorMessaging.AppHost -- --ConnectionStrings:{Name} \"Host=127.0.0.1;Port=5432;Database={Name};Username=postgres;Password=...\"");
        }

        return builder.AddPostgres("postgres").WithDataVolume().AddDatabase(Name);
    }
}

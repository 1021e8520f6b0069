namespace ActorMessaging.AppHost;

/// <summary>
/// Silos and gateways as separate resources (<c>silo-0</c>…, <c>gateway-0</c>…) rather than replicas of one: each has
/// its own Orleans ports and its own HTTP endpoint, so a client (or a test) can pick the gateway it talks to.
/// </summary>
/// <remarks>
/// Why not <c>Aspire.Hosting.Orleans</c> (<c>AddOrleans(...).WithClustering(db)</c>, <c>.WithReference(orleans)</c>): it
/// writes the <c>Orleans</c> section for Orleans' own configuration-driven providers (<c>Orleans:ClusterId</c>,
/// <c>Orleans:Clustering:ProviderType</c>, <c>Orleans:Endpoints:SiloPort</c>, ...), while every ActorMessaging process,
/// here as in Docker and Kubernetes, reads one model: <c>ActorMessaging:Storage</c> and <c>ActorMessaging:Cluster</c>
/// (<c>ActorMessagingSettings</c>). Taking it would mean a second way to configure the cluster, and its provider name is
/// derived from the resource type (<c>PostgresDatabase</c>, or <c>ConnectionString</c> for an existing database), which
/// no Orleans provider registers (ADO.NET's is <c>AdoNet</c> and also needs the Npgsql invariant). Grain storage does not
/// fit either: ours is two named stores in one database with our own schema. So the AppHost sets our keys, and allocates
/// the two Orleans ports itself as that integration does.
/// </remarks>
internal static class PlatformResources
{
    private const string HealthPath = "/health";

    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddSilos(this IDistributedApplicationBuilder builder, int count, IResourceBuilder<IResourceWithConnectionString> database)
    {
        var silos = new List<IResourceBuilder<ProjectResource>>();
        for (var i = 0; i < count; i++)
        {
            var silo = builder.AddProject<Projects.ActorMessaging_Silo>($"silo-{i}", o => o.ExcludeLaunchProfile = true)
                .WithEndpoint(name: "orleans-silo", scheme: "tcp")
                .WithEndpoint(name: "orleans-client", scheme: "tcp")
                .WithPlatformSettings(database)
                // ADO.NET clustering on the shared database makes the silos one cluster; each advertises loopback.
                .WithEnvironment("ActorMessaging__Cluster__AdvertisedAddress", "127.0.0.1")
                .WithEnvironment(context =>
                {
                    var silo = (ProjectResource)context.Resource;
                    context.EnvironmentVariables["ActorMessaging__Cluster__SiloPort"] = silo.GetEndpoint("orleans-silo").Property(EndpointProperty.TargetPort);
                    context.EnvironmentVariables["ActorMessaging__Cluster__ClientPort"] = silo.GetEndpoint("orleans-client").Property(EndpointProperty.TargetPort);
                })
                .WaitFor(database);
            silos.Add(silo);
        }

        return silos;
    }

    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddGateways(
        this IDistributedApplicationBuilder builder, int count, IResourceBuilder<IResourceWithConnectionString> database, IReadOnlyList<IResourceBuilder<ProjectResource>> silos)
    {
        var gateways = new List<IResourceBuilder<ProjectResource>>();
        for (var i = 0; i < count; i++)
        {
            var gateway = builder.AddProject<Projects.ActorMessaging_Gateway_Host>($"gateway-{i}", o => o.ExcludeLaunchProfile = true)
                .WithPlatformSettings(database);

            // An Orleans client needs a silo to connect to when it starts.
            foreach (var silo in silos)
            {
                gateway.WaitFor(silo);
            }

            gateways.Add(gateway);
        }

        return gateways;
    }

    /// <summary>HTTP on a loopback port, PostgreSQL storage and membership, Development (open) security, health for WaitFor.</summary>
    private static IResourceBuilder<ProjectResource> WithPlatformSettings(this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString> database) =>
        project
            .WithHttpEndpoint(name: "http")
            .WithEnvironment(context =>
            {
                // Urls, not ASPNETCORE_URLS: the apps' appsettings.json sets Urls, which outranks the ASPNETCORE_ variable.
                var http = ((ProjectResource)context.Resource).GetEndpoint("http");
                context.EnvironmentVariables["Urls"] = ReferenceExpression.Create($"http://127.0.0.1:{http.Property(EndpointProperty.TargetPort)}");
                context.EnvironmentVariables["ActorMessaging__Storage__ConnectionString"] = database.Resource.ConnectionStringExpression;
            })
            .WithEnvironment("ActorMessaging__Storage__Provider", "Postgres")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
            .WithHttpHealthCheck(HealthPath);
}

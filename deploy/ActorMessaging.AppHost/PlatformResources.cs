namespace ActorMessaging.AppHost;

/// <summary>
/// Silos and gateways as separate resources (<c>silo-0</c>…, <c>gateway-0</c>…) rather than replicas of one: each has
/// its own Orleans ports and its own HTTP endpoint, so a client (or a test) can pick the gateway it talks to.
/// </summary>
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
                .WithEndpoint(name: "orleans-gateway", scheme: "tcp")
                .WithPlatformSettings(database)
                // ADO.NET clustering on the shared database makes the silos one cluster; each advertises loopback.
                .WithEnvironment("ActorMessaging__Cluster__AdvertisedAddress", "127.0.0.1")
                .WithEnvironment(context =>
                {
                    var silo = (ProjectResource)context.Resource;
                    context.EnvironmentVariables["ActorMessaging__Cluster__SiloPort"] = silo.GetEndpoint("orleans-silo").Property(EndpointProperty.TargetPort);
                    context.EnvironmentVariables["ActorMessaging__Cluster__GatewayPort"] = silo.GetEndpoint("orleans-gateway").Property(EndpointProperty.TargetPort);
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

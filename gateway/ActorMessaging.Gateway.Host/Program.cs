using ActorMessaging.Configuration;
using ActorMessaging.Gateway;

return await StartupFailure.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(LaunchEnvironment.Options(args));
    builder.AddServiceDefaults();
    builder.UseActorMessagingClusterClient();
    builder.AddActorMessagingGateway();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    app.MapActorMessagingGateway();
    await app.RunValidatedAsync();
    return 0;
});

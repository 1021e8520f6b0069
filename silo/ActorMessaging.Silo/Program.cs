using ActorMessaging.Gateway;
using ActorMessaging.Hosting;

return await StartupFailure.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(LaunchEnvironment.Options(args));
    if (MigrateCommand.IsRequested(args))
    {
        return await MigrateCommand.RunAsync(builder.Configuration, Console.Out);
    }

    builder.AddServiceDefaults();
    builder.AddActorMessagingSilo();
    builder.AddActorMessagingGateway();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    app.MapActorMessagingSilo();
    app.MapActorMessagingGateway();
    await app.RunValidatedAsync();
    return 0;
});

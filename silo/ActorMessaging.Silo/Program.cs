using ActorMessaging.Gateway;
using ActorMessaging.Hosting;

var builder = WebApplication.CreateBuilder(args);
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
await app.RunAsync();
return 0;

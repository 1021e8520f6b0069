using ActorMessaging.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseActorMessagingClusterClient();
builder.AddActorMessagingGateway();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapActorMessagingGateway();
app.Run();

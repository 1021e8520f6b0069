using ActorMessaging.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.UseActorMessagingClusterClient();
builder.AddActorMessagingGateway();

var app = builder.Build();
app.MapActorMessagingGateway();
app.Run();

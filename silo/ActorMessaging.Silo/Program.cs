using ActorMessaging.Gateway;
using ActorMessaging.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorMessagingSilo();
builder.AddActorMessagingGateway();

var app = builder.Build();
app.MapActorMessagingSilo();
app.MapActorMessagingGateway();
app.Run();

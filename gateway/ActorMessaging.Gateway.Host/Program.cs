using ActorMessaging.Gateway;
using ActorMessaging.Gateway.Host;

var builder = WebApplication.CreateBuilder(args);
builder.UseActorMessagingClusterClient();
builder.AddActorMessagingGateway();
builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapActorMessagingGateway();
app.Run();

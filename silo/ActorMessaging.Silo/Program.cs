using ActorMessaging.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorMessagingSilo();

var app = builder.Build();
app.MapActorMessagingSilo();
app.Run();

using Microsoft.Extensions.Configuration;
using ActorMessaging.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var database = PlatformDatabase.Add(builder);
var silos = builder.AddSilos(builder.Configuration.GetValue("ActorMessaging:Silos", 2), database);
builder.AddGateways(builder.Configuration.GetValue("ActorMessaging:Gateways", 2), database, silos);
builder.Build().Run();

using ActorMessaging.Sample;

// dotnet run --project samples/ActorMessaging.Sample [-- http://127.0.0.1:5080]
var endpoint = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5080");
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

await OrdersSample.RunAsync(endpoint, Console.Out, cancellation.Token);

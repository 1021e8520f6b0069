using ActorMessaging.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Bench;

internal static class FanoutHosts
{
    /// <summary>Warning and up, on stderr: stdout carries only the report.</summary>
    public static void QuietLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>A bare Kestrel app on a free loopback port, for the baselines.</summary>
    public static (WebApplicationBuilder Builder, Uri Address) MinimalBuilder()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        QuietLogging(builder.Logging);
        return (builder, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Runs <paramref name="action"/> over the items, at most 10 at a time (connection set-up).</summary>
    public static Task ForEachBoundedAsync<T>(IEnumerable<T> items, Func<T, Task> action) =>
        Parallel.ForEachAsync(items.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (item, _) => await action(item));
}

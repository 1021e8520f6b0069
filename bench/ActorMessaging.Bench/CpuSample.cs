using System.Diagnostics;
using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>
/// CPU between two samples, as a percentage of all cores: this process (silo and load generator together),
/// the benchmark's PostgreSQL server (its postmaster and that process's children), and the whole machine
/// (other tenants included).
/// </summary>
internal readonly record struct CpuSample(long Timestamp, TimeSpan ProcessTime, long PostgresTicks, long HostBusy, long HostTotal)
{
    /// <summary>The postmaster of the server being measured; null when none runs.</summary>
    public static int? PostmasterId { get; set; }

    public static CpuSample Take()
    {
        using var process = Process.GetCurrentProcess();
        var (busy, total) = ReadHost();
        return new CpuSample(Stopwatch.GetTimestamp(), process.TotalProcessorTime, ReadPostgres(), busy, total);
    }

    /// <summary>CPU % of all cores between <paramref name="start"/> and this sample; NaN where /proc is unavailable.</summary>
    public CpuUse Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var cores = wall * Environment.ProcessorCount;
        var total = HostTotal - start.HostTotal;
        return new CpuUse(
            Process: wall > 0 ? (ProcessTime - start.ProcessTime).TotalSeconds / cores * 100 : double.NaN,
            Postgres: wall > 0 ? (PostgresTicks - start.PostgresTicks) / ProcStat.ClockTicksPerSecond / cores * 100 : double.NaN,
            Host: total > 0 ? (HostBusy - start.HostBusy) * 100.0 / total : double.NaN);
    }

    // First line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ...", in clock ticks.
    private static (long Busy, long Total) ReadHost()
    {
        var fields = ProcStat.TryRead("/proc/stat")?.Split('\n', 2)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: > 5 } || fields[0] != "cpu")
        {
            return (0, 0);
        }

        var values = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        return (total - values[3] - values[4], total);
    }

    // utime + stime of the postmaster and its children (backends, WAL writer, checkpointer...).
    private static long ReadPostgres()
    {
        if (PostmasterId is not { } postmaster)
        {
            return 0;
        }

        long ticks = 0;
        string[] directories;
        try
        {
            directories = Directory.GetDirectories("/proc");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var directory in directories)
        {
            if (!char.IsAsciiDigit(Path.GetFileName(directory)[0]) || ProcStat.Parse(ProcStat.TryRead(Path.Combine(directory, "stat"))) is not { } stat)
            {
                continue;
            }

            if (stat.ProcessId == postmaster || stat.ParentId == postmaster)
            {
                ticks += stat.CpuTicks;
            }
        }

        return ticks;
    }
}

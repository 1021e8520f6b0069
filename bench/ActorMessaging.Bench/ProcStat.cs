using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>What the bench reads of a process from Linux's /proc: its parent and the CPU it has used.</summary>
internal readonly record struct ProcStat(int ProcessId, int ParentId, long CpuTicks)
{
    /// <summary>USER_HZ: the unit of /proc times; 100 on every Linux architecture .NET runs on.</summary>
    public const double ClockTicksPerSecond = 100;

    public TimeSpan CpuTime => TimeSpan.FromSeconds(CpuTicks / ClockTicksPerSecond);

    /// <summary>/proc/<paramref name="processId"/>/stat, or null when the process is gone or /proc is unavailable.</summary>
    public static ProcStat? Of(int processId) => Parse(TryRead($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat"));

    /// <summary>A /proc/&lt;pid&gt;/stat line: "pid (comm) state ppid ..." with utime and stime the 14th and 15th fields.</summary>
    public static ProcStat? Parse(string? stat)
    {
        // comm may contain spaces and parentheses, so the fields are counted from after the last closing parenthesis.
        var open = stat?.IndexOf('(', StringComparison.Ordinal) ?? -1;
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || open < 0 || close < open)
        {
            return null;
        }

        var fields = stat[(close + 2)..].Split(' ');
        return new ProcStat(
            int.Parse(stat.AsSpan(0, open).Trim(), CultureInfo.InvariantCulture),
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }

    /// <summary>A /proc file's text, or null when it cannot be read (the process ended, or no /proc).</summary>
    public static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

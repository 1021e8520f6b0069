using System.Diagnostics;
using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>
/// How busy the machine is, so a table can be read against it: the load average, and how many small
/// synchronous disk flushes the temp folder's disk does per second right now.
/// </summary>
internal static class MachineState
{
    /// <summary>The 1-minute load average, or NaN off Linux.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>4 KiB overwrites of a preallocated file, each followed by a flush to disk (fsync), per second.</summary>
    public static double FlushesPerSecond(TimeSpan duration)
    {
        var path = Path.Combine(Path.GetTempPath(), $"am-bench-flush-{Guid.NewGuid():N}");
        try
        {
            const int Block = 4096;
            const int Blocks = 1024;
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            file.Write(new byte[Block * Blocks]);
            file.Flush(flushToDisk: true);
            var block = new byte[Block];
            var started = Stopwatch.GetTimestamp();
            var count = 0;
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                RandomAccess.Write(file.SafeFileHandle, block, (long)(count % Blocks) * Block);
                file.Flush(flushToDisk: true);
                count++;
            }

            return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}

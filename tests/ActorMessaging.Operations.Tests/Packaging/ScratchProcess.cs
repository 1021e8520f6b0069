using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorMessaging.Operations.Tests.Packaging;

/// <summary>
/// A running <see cref="ScratchApp"/>: what it prints, kept for assertions and failure messages; standard input left
/// open so that closing it can tell the app to finish. Disposing kills it (and its children) if it still runs.
/// </summary>
internal sealed class ScratchProcess : IAsyncDisposable
{
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _name;
    private readonly ConcurrentQueue<string> _lines = new();

    private ScratchProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public static ScratchProcess Start(Process process, string name)
    {
        var started = new ScratchProcess(process, name);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{name}'.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far, stdout and stderr interleaved, under a header naming it.</summary>
    public string Output => $"--- '{_name}' (pid {_process.Id}, {(_process.HasExited ? $"exited with {_process.ExitCode}" : "running")}) ---{Environment.NewLine}{string.Join(Environment.NewLine, _lines)}";

    /// <summary>Returns the first line it printed that <paramref name="match"/> accepts, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan timeout)
    {
        string? found = null;
        try
        {
            await Eventually.TrueAsync(() =>
            {
                found = _lines.FirstOrDefault(match);
                return found is not null || _process.HasExited;
            }, what, timeout);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message}{Environment.NewLine}{Output}", exception);
        }

        return found ?? throw new InvalidOperationException($"'{_name}' exited before it printed {what}.{Environment.NewLine}{Output}");
    }

    /// <summary>Closes its standard input (the sign to finish) and returns its exit code.</summary>
    public async Task<int> CloseInputAndWaitForExitAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{_name}' still ran {timeout.TotalSeconds} s after its input closed.{Environment.NewLine}{Output}");
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(KillTimeout);
            }
        }
        finally
        {
            _process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}

using Microsoft.Extensions.Logging;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// The SDK's log of one client of a chaos run (its retries, failovers, connections), kept in the <see cref="ChaosLedger"/>
/// under the client's name, so that a stall can be followed try by try.
/// </summary>
internal sealed class ChaosClientLog(ChaosLedger ledger, string client) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        ledger.ClientLog(client, formatter(state, exception) + (exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})"));

    public void Dispose()
    {
    }
}

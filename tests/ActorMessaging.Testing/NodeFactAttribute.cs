using Xunit;

namespace ActorMessaging.Testing;

/// <summary>
/// A fact that runs a script of <c>tests/node-client</c> with the machine's Node.js and the packages
/// <c>npm ci</c> put in that folder (<c>.ci/run</c> does): skipped with the reason when either is missing,
/// except on CI (<c>CI=true</c>), where the test runs and fails with the same reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!ChromiumFactAttribute.IsCi && SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The folder with the Node scripts and their <c>package.json</c>.</summary>
    public static string ClientFolder => Path.Combine(RepositoryRoot.Find(), "tests", "node-client");

    /// <summary>The <c>node</c> executable on <c>PATH</c>, or null.</summary>
    public static string? NodePath =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "node"))
            .FirstOrDefault(File.Exists);

    /// <summary>Why the Node tests cannot run here, or null when they can.</summary>
    public static string? SkipReason
    {
        get
        {
            if (NodePath is null)
            {
                return "Node.js was not found on PATH; install it (apt-get install nodejs npm) to run the Node client tests.";
            }

            if (RepositoryRoot.TryFind() is null)
            {
                return "The tests do not run from a checkout, so tests/node-client is not there.";
            }

            // The MessagePack protocol package came later: a node_modules from before it needs npm ci again.
            return Directory.Exists(Path.Combine(ClientFolder, "node_modules", "@microsoft", "signalr"))
                && Directory.Exists(Path.Combine(ClientFolder, "node_modules", "@microsoft", "signalr-protocol-msgpack"))
                ? null
                : $"The Node client's packages are not installed; run 'npm ci --prefix {ClientFolder}' (.ci/run does).";
        }
    }
}

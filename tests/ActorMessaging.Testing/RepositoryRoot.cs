namespace ActorMessaging.Testing;

/// <summary>The checkout the tests run from: the nearest folder above the test assembly that holds <c>ActorMessaging.sln</c>.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string?> Found = new(() =>
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ActorMessaging.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName;
    });

    /// <summary>The root folder, or null when the tests run outside a checkout.</summary>
    public static string? TryFind() => Found.Value;

    /// <summary>The root folder.</summary>
    /// <exception cref="InvalidOperationException">The tests run outside a checkout.</exception>
    public static string Find() =>
        Found.Value ?? throw new InvalidOperationException($"ActorMessaging.sln was not found in any folder above {AppContext.BaseDirectory}.");
}

using System.Globalization;
using System.Security;

namespace ActorMessaging.Operations.Tests.Packaging;

/// <summary>
/// The solution packed as the README says (<c>dotnet pack ActorMessaging.sln -c Release -o FOLDER</c>) into a
/// temporary folder outside the repository, and a NuGet configuration for apps beside it: that folder as a source next
/// to the machine's own feed. Packed once for the test class.
/// </summary>
/// <remarks>
/// The version is unique per run (<c>0.1.0-packtest.TIME</c>), and apps restore into a temporary packages folder that
/// falls back on the machine's: so no ActorMessaging package restored by an earlier run (or a user's 0.1.0) can stand
/// in for the one just packed, the machine's cache gets none of these packages, and everything else still comes from
/// it without a download. The pack builds into its own artifacts folder, leaving the checkout's bin and obj (which
/// other test projects may be using) alone.
/// </remarks>
public sealed class PackageFeed : IAsyncLifetime
{
    // A bound, not an expectation: the pack takes 1 to 2 minutes on the 2-core machine, over 5 when other builds share it.
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    public PackageFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), $"am-packages-{Guid.NewGuid():N}");
        Folder = Path.Combine(Root, "feed");
        Apps = Path.Combine(Root, "apps");
        Version = $"0.1.0-packtest.{DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}";
        Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") };
    }

    /// <summary>The temporary folder that holds the feed, the apps and their packages.</summary>
    public string Root { get; }

    /// <summary>Where the packages were packed.</summary>
    public string Folder { get; }

    /// <summary>Where apps are created; its nuget.config names the feed.</summary>
    public string Apps { get; }

    /// <summary>The version of every package packed.</summary>
    public string Version { get; }

    /// <summary>The environment for dotnet commands run on the apps.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Apps);
        var repository = RepositoryRoot.Find();
        PackOutput = await DotnetCli.RunAsync(repository,
            ["pack", "ActorMessaging.sln", "-c", "Release", "-o", Folder, $"-p:VersionSuffix={Version["0.1.0-".Length..]}", "--artifacts-path", Path.Combine(Root, "artifacts")],
            new Dictionary<string, string>(), PackTimeout);

        // Asked before NUGET_PACKAGES is redirected: the machine's packages folder, as its NuGet configuration says.
        var locals = await DotnetCli.RunAsync(Root, ["nuget", "locals", "global-packages", "--list"], new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
        var machinePackages = locals.Trim().Split(':', 2)[1].Trim();
        await File.WriteAllTextAsync(Path.Combine(Apps, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <!-- Added to the machine's sources (its user-level NuGet.Config), which bring every other package. -->
              <packageSources>
                <add key="actormessaging-packed" value="{SecurityElement.Escape(Folder)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{SecurityElement.Escape(machinePackages)}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        // Apps here are outside the repository; these stop the search for build settings above them too.
        await File.WriteAllTextAsync(Path.Combine(Apps, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(Apps, "Directory.Build.targets"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(Apps, "Directory.Packages.props"), "<Project />");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

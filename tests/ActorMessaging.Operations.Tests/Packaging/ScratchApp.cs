using System.Diagnostics;
using System.Security;

namespace ActorMessaging.Operations.Tests.Packaging;

/// <summary>
/// A user's own app, created outside the repository: a project that references ActorMessaging packages from the
/// <see cref="PackageFeed"/> (no project reference), built with the CLI and run from its build output.
/// </summary>
internal sealed class ScratchApp
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly PackageFeed _feed;

    private ScratchApp(PackageFeed feed, string name)
    {
        _feed = feed;
        Name = name;
        Folder = Path.Combine(feed.Apps, name);
    }

    public string Name { get; }

    public string Folder { get; }

    /// <summary>Writes the project (<paramref name="sdk"/>, net10.0, the packages at the feed's version) and its source files.</summary>
    public static async Task<ScratchApp> CreateAsync(PackageFeed feed, string name, string sdk, IEnumerable<string> packages, IReadOnlyDictionary<string, string> files)
    {
        var app = new ScratchApp(feed, name);
        Directory.CreateDirectory(app.Folder);
        var references = string.Concat(packages.Select(id =>
            $"{Environment.NewLine}    <PackageReference Include=\"{SecurityElement.Escape(id)}\" Version=\"{feed.Version}\" />"));
        await File.WriteAllTextAsync(Path.Combine(app.Folder, $"{name}.csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>{references}
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(app.Folder, file), text);
        }

        return app;
    }

    /// <summary><c>dotnet build</c> (with its restore); throws with the build's output when it fails.</summary>
    public Task<string> BuildAsync() =>
        DotnetCli.RunAsync(Folder, ["build", "-c", "Debug"], _feed.Environment, BuildTimeout);

    /// <summary>Starts the built app from its own folder (the content root), with <paramref name="environment"/> added.</summary>
    public ScratchProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var dll = Path.Combine(Folder, "bin", "Debug", "net10.0", $"{Name}.dll");
        var merged = new Dictionary<string, string>(_feed.Environment);
        foreach (var (key, value) in environment)
        {
            merged[key] = value;
        }

        var process = new Process { StartInfo = DotnetCli.StartInfo(Folder, [dll, .. arguments], merged) };
        return ScratchProcess.Start(process, Name);
    }
}

namespace ActorMessaging.Operations.Tests;

/// <summary>Finds files of the repository these tests check (deployment files, project files).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorMessaging.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ActorMessaging.sln above {AppContext.BaseDirectory}.");
    }
}

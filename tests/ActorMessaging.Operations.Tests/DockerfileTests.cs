using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Hosting;
using static ActorMessaging.Operations.Tests.KubernetesManifests;

namespace ActorMessaging.Operations.Tests;

/// <summary>The Dockerfiles build what they claim (every project the target needs is copied before restore), and run it as the manifests expect.</summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string, string> Images => new()
    {
        { "deploy/docker/silo.Dockerfile", "silo/ActorMessaging.Silo/ActorMessaging.Silo.csproj", "actormessaging-silo" },
        { "deploy/docker/gateway.Dockerfile", "gateway/ActorMessaging.Gateway.Host/ActorMessaging.Gateway.Host.csproj", "actormessaging-gateway" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_IsMultiStage_NonRoot_WithHealthCheck_AndRunsTheProject(string dockerfile, string project, string deployment)
    {
        var text = RepositoryFiles.Read(dockerfile);
        var container = Containers(KubernetesManifests.Load().Named("Deployment", deployment)).Single();

        Assert.True(FromLine().Count(text) >= 2, "build and runtime stages");
        Assert.Matches(@"(?m)^USER app$", text);
        Assert.Matches($@"(?m)^HEALTHCHECK .*curl -fsS http://127\.0\.0\.1:8080{ServiceDefaultsExtensions.AlivePath} ", text);
        Assert.Contains("ENV Urls=http://0.0.0.0:8080", text, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{Path.GetFileNameWithoutExtension(project)}.dll\"]", text, StringComparison.Ordinal);
        var exposed = ExposeLine().Match(text).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(Items(container, "ports").Select(p => Text(p, "containerPort")!).Order(), exposed);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_CopiesEveryProjectTheTargetNeeds_BeforeRestore(string dockerfile, string project, string deployment)
    {
        _ = deployment;
        var text = RepositoryFiles.Read(dockerfile);
        var restore = text.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
        var copied = CopyLine().Matches(text[..restore]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.All(ProjectClosure(project), needed => Assert.Contains(needed, copied));
        Assert.All(CopyLine().Matches(text).Select(m => m.Groups[1].Value), source => Assert.True(
            File.Exists(RepositoryFiles.PathOf(source)) || Directory.Exists(RepositoryFiles.PathOf(source)), $"COPY source '{source}' does not exist."));
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(RepositoryFiles.PathOf(current))!;
            foreach (var reference in XDocument.Load(RepositoryFiles.PathOf(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar)));
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, full).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        return found;
    }

    [GeneratedRegex(@"(?m)^FROM \S+")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^EXPOSE ([0-9 ]+)$")]
    private static partial Regex ExposeLine();

    [GeneratedRegex(@"(?m)^COPY (?!--from)(\S+) ")]
    private static partial Regex CopyLine();
}

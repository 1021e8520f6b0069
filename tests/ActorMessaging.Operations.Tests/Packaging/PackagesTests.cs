using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using ActorMessaging.Contracts;

namespace ActorMessaging.Operations.Tests.Packaging;

/// <summary>
/// What a new user does with the packages: pack the solution, then, outside the repository, build an app on the SDK
/// package from its README's quick start and run it against a platform, and build an Orleans app of their own that
/// embeds the platform with the hosting and gateway packages, from the hosting README.
/// </summary>
public sealed class PackagesTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    /// <summary>Exactly what <c>dotnet pack ActorMessaging.sln</c> yields: the SDK, and what embeds the platform in a silo.</summary>
    private static readonly string[] UserPackages =
    [
        "ActorMessaging.Client",
        "ActorMessaging.Configuration",
        "ActorMessaging.Contracts",
        "ActorMessaging.Gateway",
        "ActorMessaging.Grains",
        "ActorMessaging.Grains.Abstractions",
        "ActorMessaging.Hosting",
        "ActorMessaging.Storage",
    ];

    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Pack_YieldsTheUserPackages_EachWithReadmeLicenseRepositoryAndSourceLinkedSymbols()
    {
        Assert.DoesNotContain(": warning ", feed.PackOutput, StringComparison.OrdinalIgnoreCase);
        var expected = UserPackages.SelectMany(id => new[] { $"{id}.{feed.Version}.nupkg", $"{id}.{feed.Version}.snupkg" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFiles(feed.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var repositoryUrl = XDocument.Load(Path.Combine(RepositoryRoot.Find(), "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;
        foreach (var id in UserPackages)
        {
            using var package = ZipFile.OpenRead(Path.Combine(feed.Folder, $"{id}.{feed.Version}.nupkg"));
            var metadata = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.NotNull(package.GetEntry("README.md"));
            Assert.True(Field("description").Length > 40, $"{id}: description '{Field("description")}'");
            Assert.Contains("actormessaging", Field("tags"), StringComparison.Ordinal);
            Assert.NotEmpty(Field("authors"));
            Assert.Equal(repositoryUrl, metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);

            // Every ActorMessaging dependency is one of these packages, at the same version.
            var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency" && e.Attribute("id")!.Value.StartsWith("ActorMessaging.", StringComparison.Ordinal));
            Assert.All(dependencies, d =>
            {
                Assert.Contains(d.Attribute("id")!.Value, UserPackages);
                Assert.Equal(feed.Version, d.Attribute("version")!.Value);
            });

            using var symbols = ZipFile.OpenRead(Path.Combine(feed.Folder, $"{id}.{feed.Version}.snupkg"));
            Assert.StartsWith($"{repositoryUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal)}/", SourceLinkOf(symbols.GetEntry($"lib/net10.0/{id}.pdb")!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ClientPackage_ReadmeQuickStart_PublishesAndProcessesAgainstThePlatform()
    {
        await using var platform = await GatewayHost.StartAsync();
        var gateway = platform.Address.ToString().TrimEnd('/');
        var quickStart = MarkdownCode.CSharpBlock("client/ActorMessaging.Client/README.md", "## Quick start");
        Assert.Contains("http://127.0.0.1:5080", quickStart, StringComparison.Ordinal);
        var (usings, statements) = SplitUsings(quickStart.Replace("http://127.0.0.1:5080", gateway, StringComparison.Ordinal));
        var app = await ScratchApp.CreateAsync(feed, "QuickStart", "Microsoft.NET.Sdk", ["ActorMessaging.Client"], new Dictionary<string, string>
        {
            ["Program.cs"] = $$"""
                {{usings}}
                // The README says the topic and the subscription exist beforehand.
                using (var admin = new ActorMessagingAdministrationClient(new Uri("{{gateway}}")))
                {
                    await admin.CreateOrUpdateTopicAsync("orders");
                    await admin.CreateOrUpdateSubscriptionAsync("orders", "billing");
                }

                {{statements}}
                // Runs until the test closes standard input; then the processor and the client are disposed.
                await Console.In.ReadLineAsync();
                """,

            // The main README's example is compiled too (not run): it leaves the application's own names to the reader.
            ["ReadmeSdkSection.cs"] = $$"""
                using ActorMessaging.Client;

                internal static class ReadmeSdkSection
                {
                    public static async Task RunAsync(string key)
                    {
                {{MarkdownCode.CSharpBlock("README.md", "## .NET SDK")}}
                    }

                    private static Task HandleAsync(Order order) => Task.CompletedTask;

                    private static Task LogAsync(ActorMessagingErrorSource source, Exception exception) => Task.CompletedTask;

                    private sealed record Order(decimal Total);
                }
                """,
        });
        await app.BuildAsync();

        await using var run = app.Start(new Dictionary<string, string>());
        var processed = await run.WaitForLineAsync(line => line.StartsWith("#1: ", StringComparison.Ordinal), "the processed message, '#1: {...}'", RunTimeout);
        using var data = JsonDocument.Parse(processed["#1: ".Length..]);
        Assert.Equal(("o-1", 42), (data.RootElement.GetProperty("id").GetString(), data.RootElement.GetProperty("total").GetInt32()));
        Assert.True(await run.CloseInputAndWaitForExitAsync(RunTimeout) == 0, run.Output);

        // Published once, and acked when the processor stopped.
        using var subscription = JsonDocument.Parse(await platform.Http.GetStringAsync(new Uri("/v1/topics/orders/subscriptions/billing", UriKind.Relative)));
        var stats = subscription.RootElement.GetProperty("stats");
        Assert.Equal((0, 0), (stats.GetProperty("backlog").GetInt32(), stats.GetProperty("inFlight").GetInt32()));
    }

    [Fact]
    public async Task HostingAndGatewayPackages_HostingReadmeProgram_RunsThePlatformInTheUsersOwnSilo()
    {
        var program = MarkdownCode.CSharpBlock("silo/ActorMessaging.Hosting/README.md", "# ActorMessaging.Hosting");
        var app = await ScratchApp.CreateAsync(feed, "OwnSilo", "Microsoft.NET.Sdk.Web", ["ActorMessaging.Hosting", "ActorMessaging.Gateway"], new Dictionary<string, string>
        {
            ["Program.cs"] = program,
        });
        await app.BuildAsync();

        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

        // Embedded SQLite (the default store) under the app's folder; loopback ports; Development: no credentials on loopback.
        await using var run = app.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ActorMessaging__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ActorMessaging__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        }, "--urls", address.ToString().TrimEnd('/'));
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        await WaitHealthyAsync(http, run);

        Assert.True((await http.PutAsJsonAsync("/v1/topics/orders", new { })).IsSuccessStatusCode, run.Output);
        Assert.True((await http.PutAsJsonAsync("/v1/topics/orders/subscriptions/billing", new { startAt = "earliest" })).IsSuccessStatusCode, run.Output);
        using var publish = await http.PostAsJsonAsync("/v1/topics/orders/messages", new { messages = new[] { new { id = "o-1", data = new { total = 42 } } } });
        Assert.True(publish.IsSuccessStatusCode, $"{await publish.Content.ReadAsStringAsync()}{Environment.NewLine}{run.Output}");
        using var pull = await http.PostAsJsonAsync("/v1/topics/orders/subscriptions/billing/pull", new PullRequest { MaxMessages = 10, WaitSeconds = 5 });
        var message = Assert.Single((await pull.Content.ReadFromJsonAsync<PullResponse>())!.Messages);
        Assert.Equal(("o-1", 42), (message.Id, message.Data!.Value.GetProperty("total").GetInt32()));
        Assert.True(File.Exists(Path.Combine(app.Folder, "data", "actormessaging.db")), run.Output);
    }

    private static async Task WaitHealthyAsync(HttpClient http, ScratchProcess run)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (run.HasExited)
            {
                throw new InvalidOperationException($"The app exited before /health answered 200.{Environment.NewLine}{run.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"/health to answer 200{Environment.NewLine}{run.Output}", RunTimeout);
    }

    /// <summary>The using directives at the top of a snippet, and the statements after them.</summary>
    private static (string Usings, string Statements) SplitUsings(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n');
        var count = lines.TakeWhile(line => line.Length == 0 || (line.StartsWith("using ", StringComparison.Ordinal) && !line.Contains('(', StringComparison.Ordinal) && !line.StartsWith("using var ", StringComparison.Ordinal))).Count();
        return (string.Join('\n', lines[..count]), string.Join('\n', lines[count..]));
    }

    /// <summary>The SourceLink map (JSON) embedded in a portable PDB.</summary>
    private static string SourceLinkOf(ZipArchiveEntry pdb)
    {
        using var stream = new MemoryStream();
        using (var entry = pdb.Open())
        {
            entry.CopyTo(stream);
        }

        stream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        var sourceLink = reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation).Single(c => reader.GetGuid(c.Kind) == SourceLinkKind);
        var documents = JsonDocument.Parse(Encoding.UTF8.GetString(reader.GetBlobBytes(sourceLink.Value))).RootElement.GetProperty("documents");
        return documents.EnumerateObject().Single().Value.GetString()!;
    }
}

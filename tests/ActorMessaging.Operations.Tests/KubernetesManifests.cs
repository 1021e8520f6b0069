using YamlDotNet.RepresentationModel;

namespace ActorMessaging.Operations.Tests;

/// <summary>The documents of deploy/k8s, read as YAML trees (no cluster needed).</summary>
internal sealed class KubernetesManifests
{
    public const string Folder = "deploy/k8s";

    private KubernetesManifests(List<YamlMappingNode> documents) => Documents = documents;

    public IReadOnlyList<YamlMappingNode> Documents { get; }

    public static KubernetesManifests Load()
    {
        var documents = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf(Folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using var reader = new StringReader(File.ReadAllText(file));
            stream.Load(reader);
            documents.AddRange(stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Where(n => n.Children.ContainsKey("kind")));
        }

        return new KubernetesManifests(documents);
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(d => Text(d, "kind") == kind);

    public YamlMappingNode Named(string kind, string name) => OfKind(kind).Single(d => Text(d, "metadata", "name") == name);

    public static string? Text(YamlNode node, params string[] path) => Node(node, path) is YamlScalarNode scalar ? scalar.Value : null;

    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static IEnumerable<YamlMappingNode> Items(YamlNode node, params string[] path) =>
        Node(node, path) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];

    public static IReadOnlyDictionary<string, string> Map(YamlNode node, params string[] path) =>
        Node(node, path) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (c.Value as YamlScalarNode)?.Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>Containers of a Deployment's pod template, init containers included.</summary>
    public static IEnumerable<YamlMappingNode> Containers(YamlMappingNode deployment, bool init = false) =>
        Items(deployment, "spec", "template", "spec", init ? "initContainers" : "containers");
}

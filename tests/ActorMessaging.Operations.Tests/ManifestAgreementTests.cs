using ActorMessaging.Configuration;
using ActorMessaging.Hosting;
using Microsoft.Extensions.Hosting;
using static ActorMessaging.Operations.Tests.KubernetesManifests;

namespace ActorMessaging.Operations.Tests;

/// <summary>No cluster runs here: these check that deploy/k8s and the app agree on keys, ports and paths.</summary>
public sealed class ManifestAgreementTests
{
    private readonly KubernetesManifests _manifests = KubernetesManifests.Load();

    private IReadOnlyDictionary<string, string> Settings => Map(_manifests.Named("ConfigMap", "actormessaging"), "data");

    private IEnumerable<YamlDotNet.RepresentationModel.YamlMappingNode> Deployments => _manifests.OfKind("Deployment");

    [Fact]
    public void EveryConfigurationKey_InConfigMapSecretAndEnv_IsOneTheAppReads()
    {
        var keys = Settings.Keys
            .Concat(Map(_manifests.Named("Secret", "actormessaging"), "stringData").Keys)
            .Concat(Deployments.SelectMany(d => Containers(d).Concat(Containers(d, init: true))).SelectMany(c => Items(c, "env")).Select(e => Text(e, "name")!))
            .ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(AppConfigurationKeys.IsRead(key), $"'{key}' is not a configuration key the app reads."));
        Assert.Contains("ActorMessaging__Storage__ConnectionString", keys);
        Assert.Contains("ActorMessaging__Cluster__AdvertisedAddress", keys);
    }

    [Fact]
    public void UnknownKey_IsReportedAsUnread()
    {
        Assert.False(AppConfigurationKeys.IsRead("ActorMessaging__Storage__ConectionString"));
        Assert.True(AppConfigurationKeys.IsRead("ActorMessaging__Auth__ApiKeys__3__Permissions__0"));
    }

    [Fact]
    public void Probes_UseTheAppsHealthPaths_OnItsHttpPort()
    {
        var httpPort = new Uri(Settings["Urls"]).Port;
        foreach (var deployment in Deployments)
        {
            var container = Assert.Single(Containers(deployment));
            var http = Items(container, "ports").Single(p => Text(p, "name") == "http");
            Assert.Equal(httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(http, "containerPort"));
            Assert.Equal(ServiceDefaultsExtensions.HealthPath, Text(container, "readinessProbe", "httpGet", "path"));
            Assert.Equal(ServiceDefaultsExtensions.AlivePath, Text(container, "livenessProbe", "httpGet", "path"));
            Assert.Equal("http", Text(container, "livenessProbe", "httpGet", "port"));
            Assert.Equal("http", Text(container, "readinessProbe", "httpGet", "port"));
            Assert.Equal(ServiceDefaultsExtensions.MetricsPath, Text(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/path"));
            Assert.NotNull(Node(container, "resources", "requests", "memory"));
            Assert.NotNull(Node(container, "resources", "limits", "memory"));
        }
    }

    [Fact]
    public void SiloPorts_MatchTheClusterSettings_AndSilosAdvertiseTheirPodIp()
    {
        var silo = Assert.Single(Containers(_manifests.Named("Deployment", "actormessaging-silo")));
        var ports = Items(silo, "ports").ToDictionary(p => Text(p, "name")!, p => Text(p, "containerPort")!);

        Assert.Equal(Settings["ActorMessaging__Cluster__SiloPort"], ports["silo"]);
        Assert.Equal(Settings["ActorMessaging__Cluster__ClientPort"], ports["orleans-client"]);
        Assert.Equal(nameof(StorageProvider.Postgres), Settings["ActorMessaging__Storage__Provider"]);
        var advertised = Items(silo, "env").Single(e => Text(e, "name") == "ActorMessaging__Cluster__AdvertisedAddress");
        Assert.Equal("status.podIP", Text(advertised, "valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void Migration_RunsTheSilosMigrateCommand_BeforeTheSiloStarts()
    {
        var deployment = _manifests.Named("Deployment", "actormessaging-silo");
        var migrate = Assert.Single(Containers(deployment, init: true));

        Assert.Equal(Text(Containers(deployment).Single(), "image"), Text(migrate, "image"));
        Assert.Equal([MigrateCommand.Name], Assert.IsType<YamlDotNet.RepresentationModel.YamlSequenceNode>(Node(migrate, "args")).Children.Select(c => c.ToString()));
    }

    [Fact]
    public void ServicesAndDisruptionBudgets_SelectTheirDeployments()
    {
        var gateway = _manifests.Named("Deployment", "actormessaging-gateway");
        var service = _manifests.Named("Service", "actormessaging-gateway");
        var gatewayPorts = Items(Containers(gateway).Single(), "ports").Select(p => Text(p, "name")).ToList();

        Assert.All(Items(service, "spec", "ports"), port => Assert.Contains(Text(port, "targetPort"), gatewayPorts));
        Assert.Equal(PodLabels(gateway), Map(service, "spec", "selector"));
        Assert.Equal("ClientIP", Text(service, "spec", "sessionAffinity"));
        foreach (var deployment in Deployments)
        {
            Assert.Contains(_manifests.OfKind("PodDisruptionBudget"), pdb => Map(pdb, "spec", "selector", "matchLabels").SequenceEqual(PodLabels(deployment)));
            Assert.Equal("true", Text(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
        }
    }

    private static IReadOnlyDictionary<string, string> PodLabels(YamlDotNet.RepresentationModel.YamlMappingNode deployment) =>
        Map(deployment, "spec", "template", "metadata", "labels");
}

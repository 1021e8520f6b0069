using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Operations.Tests;

/// <summary>
/// Issue 12: <c>ASPNETCORE_ENVIRONMENT=Production dotnet run</c> started in Development with authentication off, because
/// the launch profile set the environment. Launch profiles now only suggest one, which yields to any the operator set.
/// </summary>
public sealed class LaunchEnvironmentTests
{
    [Theory]
    [InlineData("silo/ActorMessaging.Silo/Properties/launchSettings.json")]
    [InlineData("gateway/ActorMessaging.Gateway.Host/Properties/launchSettings.json")]
    public void LaunchProfiles_SetNoEnvironment_OnlyTheLaunchDefault(string path)
    {
        using var settings = JsonDocument.Parse(RepositoryFiles.Read(path));
        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            var variables = profile.Value.GetProperty("environmentVariables").EnumerateObject().Select(v => v.Name).ToList();
            Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", variables);
            Assert.DoesNotContain("DOTNET_ENVIRONMENT", variables);
            Assert.Contains(LaunchEnvironment.VariableName, variables);
        }
    }

    [Fact]
    public void LaunchDefault_AppliesWhenNothingElseNamesAnEnvironment() =>
        Assert.Equal("Development", LaunchEnvironment.Resolve([], Variables(launch: "Development")));

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    public void AnEnvironmentVariableTheOperatorSet_Wins(string variable) =>
        Assert.Null(LaunchEnvironment.Resolve([], Variables(launch: "Development", (variable, "Production"))));

    [Theory]
    [InlineData("--environment", "Production")]
    [InlineData("--environment=Production")]
    [InlineData("--ENVIRONMENT", "Staging")]
    public void AnEnvironmentArgument_Wins(params string[] args) =>
        Assert.Null(LaunchEnvironment.Resolve(args, Variables(launch: "Development")));

    [Fact]
    public void WithoutALaunchProfile_TheHostDecides() =>
        Assert.Null(LaunchEnvironment.Resolve([], Variables(launch: null)));

    private static Func<string, string?> Variables(string? launch, params (string Name, string Value)[] set) =>
        name => name == LaunchEnvironment.VariableName ? launch : set.FirstOrDefault(v => v.Name == name).Value;
}

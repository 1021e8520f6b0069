using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Configuration;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>Makes the read settings available to the process's services and logs their warnings when the host starts.</summary>
    public static IServiceCollection AddActorMessagingSettings(this IServiceCollection services, ActorMessagingSettings settings)
    {
        services.TryAddSingleton(settings);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SettingsWarningsLog>());
        return services;
    }
}

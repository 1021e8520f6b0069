# A standalone gateway (HTTP API + SignalR hub as an Orleans client of the silos). Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t actormessaging-gateway .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project or package version changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY client/ActorMessaging.Contracts/ActorMessaging.Contracts.csproj client/ActorMessaging.Contracts/
COPY grains/ActorMessaging.Grains.Abstractions/ActorMessaging.Grains.Abstractions.csproj grains/ActorMessaging.Grains.Abstractions/
COPY gateway/ActorMessaging.Gateway/ActorMessaging.Gateway.csproj gateway/ActorMessaging.Gateway/
COPY gateway/ActorMessaging.Gateway.Host/ActorMessaging.Gateway.Host.csproj gateway/ActorMessaging.Gateway.Host/
COPY silo/ActorMessaging.Configuration/ActorMessaging.Configuration.csproj silo/ActorMessaging.Configuration/
COPY silo/ActorMessaging.ServiceDefaults/ActorMessaging.ServiceDefaults.csproj silo/ActorMessaging.ServiceDefaults/
RUN dotnet restore gateway/ActorMessaging.Gateway.Host/ActorMessaging.Gateway.Host.csproj
COPY client/ActorMessaging.Contracts/ client/ActorMessaging.Contracts/
COPY grains/ActorMessaging.Grains.Abstractions/ grains/ActorMessaging.Grains.Abstractions/
COPY gateway/ gateway/
COPY silo/ActorMessaging.ServiceDefaults/ silo/ActorMessaging.ServiceDefaults/
COPY silo/ActorMessaging.Configuration/ silo/ActorMessaging.Configuration/
RUN dotnet publish gateway/ActorMessaging.Gateway.Host/ActorMessaging.Gateway.Host.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for HEALTHCHECK: the runtime image has no HTTP client of its own.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV Urls=http://0.0.0.0:8080
# HTTP: API, hub, /health, /alive, /metrics.
EXPOSE 8080
USER app
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD curl -fsS http://127.0.0.1:8080/alive || exit 1
ENTRYPOINT ["dotnet", "ActorMessaging.Gateway.Host.dll"]

# The silo (grains + co-hosted gateway). Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t actormessaging-silo .
# Run `migrate` (same image) once against PostgreSQL before silos start: see deploy/k8s/silo.yaml.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project or package version changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY client/ActorMessaging.Contracts/ActorMessaging.Contracts.csproj client/ActorMessaging.Contracts/
COPY grains/ActorMessaging.Grains.Abstractions/ActorMessaging.Grains.Abstractions.csproj grains/ActorMessaging.Grains.Abstractions/
COPY grains/ActorMessaging.Grains/ActorMessaging.Grains.csproj grains/ActorMessaging.Grains/
COPY storage/ActorMessaging.Storage/ActorMessaging.Storage.csproj storage/ActorMessaging.Storage/
COPY gateway/ActorMessaging.Gateway/ActorMessaging.Gateway.csproj gateway/ActorMessaging.Gateway/
COPY silo/ActorMessaging.Hosting/ActorMessaging.Hosting.csproj silo/ActorMessaging.Hosting/
COPY silo/ActorMessaging.Configuration/ActorMessaging.Configuration.csproj silo/ActorMessaging.Configuration/
COPY silo/ActorMessaging.ServiceDefaults/ActorMessaging.ServiceDefaults.csproj silo/ActorMessaging.ServiceDefaults/
COPY silo/ActorMessaging.Silo/ActorMessaging.Silo.csproj silo/ActorMessaging.Silo/
RUN dotnet restore silo/ActorMessaging.Silo/ActorMessaging.Silo.csproj
COPY client/ client/
COPY grains/ grains/
COPY storage/ storage/
COPY gateway/ActorMessaging.Gateway/ gateway/ActorMessaging.Gateway/
COPY silo/ silo/
RUN dotnet publish silo/ActorMessaging.Silo/ActorMessaging.Silo.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for HEALTHCHECK: the runtime image has no HTTP client of its own.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# The embedded SQLite store (single-container use) writes under the content root.
RUN mkdir -p /app/data && chown app:app /app/data
VOLUME /app/data
ENV Urls=http://0.0.0.0:8080 \
    DOTNET_gcServer=1
# HTTP (API, hub, /health, /alive, /metrics, /dashboard), silo-to-silo, Orleans client gateway.
EXPOSE 8080 11111 30000
USER app
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://127.0.0.1:8080/alive || exit 1
ENTRYPOINT ["dotnet", "ActorMessaging.Silo.dll"]

namespace ActorMessaging.Bench;

/// <summary>CPU used over a window, each as a percentage of all cores.</summary>
/// <param name="Process">This process: the silo and the load generator.</param>
/// <param name="Postgres">The benchmark's PostgreSQL server.</param>
/// <param name="Host">The whole machine, other tenants included.</param>
internal readonly record struct CpuUse(double Process, double Postgres, double Host);

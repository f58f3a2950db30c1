using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary>A chosen kernel and how to stage it: the plan, the root it comes from, whether kexec-tools does the loading, and the config it was planned with.</summary>
public sealed record StageRequest(BootRoot Root, RunningSystem System, LoadPlan Plan, bool ViaKexecTools, bool Legacy, RekernelConfig Config);

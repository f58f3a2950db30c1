using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary>A chosen kernel and how to stage it: the plan, the root it comes from, and whether kexec-tools does the loading.</summary>
public sealed record StageRequest(BootRoot Root, RunningSystem System, LoadPlan Plan, bool ViaKexecTools, bool Legacy);

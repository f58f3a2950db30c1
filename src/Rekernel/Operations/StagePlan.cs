using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Machine;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// A chosen kernel and how to stage it, decided without touching anything: the plan, the tree its files come
/// from, the machine it will run on, whether kexec-tools does the loading (and with the old system call), and
/// the config it was planned with, and the id of the switch token on its command line.
/// </summary>
public sealed record StagePlan(BootRoot Tree, RunningSystem Machine, LoadPlan Load, bool ViaKexecTools, bool Legacy, RekernelConfig Config, string Token)
{
    /// <summary>Whether the planned kernel is the one running (by release).</summary>
    public bool TargetRuns => Load.Entry.Version is { } version && version == Machine.Release;
}

using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Machine;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// A chosen kernel and how to stage it, decided without touching anything: the plan, the tree its files come
/// from, the machine it will run on, how it is loaded (the system call or kexec-tools, and why), the config
/// it was planned with, and the id of the switch token on its command line.
/// </summary>
public sealed record StagePlan(BootRoot Tree, RunningSystem Machine, LoadPlan Load, StagingMethod Method, RekernelConfig Config, string Token)
{
    /// <summary>The same load done by hand with kexec-tools, for the dry run and for the record.</summary>
    public string KexecToolsCommand => Planning.KexecToolsCommand.For(Load, Method.LegacySyscall);

    /// <summary>Whether the planned kernel is the one running (by release).</summary>
    public bool TargetRuns => Load.Entry.Version is { } version && version == Machine.Release;
}

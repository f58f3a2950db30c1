using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Kexec;

namespace Rekernel.Cli;

/// <summary>What commands need from the machine beyond files: the kexec system calls and who we run as. Tests pass fakes.</summary>
/// <param name="Kexec">The system calls for a boot root (its /proc and /sys explain failures).</param>
/// <param name="EffectiveUid">geteuid(2).</param>
/// <param name="KexecToolsExecutable">The kexec-tools binary for --use-kexec-tools: a name looked up in PATH, or a path.</param>
public sealed record CliServices(Func<BootRoot, IKexecSystem> Kexec, Func<uint> EffectiveUid, string KexecToolsExecutable = "kexec")
{
    /// <summary>Reads the boot entries of a root; <see cref="BootDiscovery.Discover"/> unless a test supplies an inventory.</summary>
    public Func<BootRoot, BootInventory> Discover { get; init; } = BootDiscovery.Discover;

    /// <summary>The settings of rekernel.conf, read when a command needs them; tests get the defaults unless they supply a file.</summary>
    public Func<RekernelConfig> Config { get; init; } = () => RekernelConfig.Defaults;

    public static CliServices Live() => new(root => new LinuxKexecSystem(root), UserIdentity.EffectiveUid)
    {
        Config = () => ConfigFile.Load(RekernelConfig.PathFromEnvironment(), UserIdentity.EffectiveUid()),
    };
}

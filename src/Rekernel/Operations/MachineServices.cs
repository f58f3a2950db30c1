using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Health;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Locking;
using Rekernel.Machine;
using Rekernel.Native;
using Rekernel.Planning;
using Rekernel.Processes;
using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>
/// Everything the use cases touch outside themselves, so that tests (and a future agent) can replace each part:
/// the kexec system calls, the running machine, boot discovery, the config, the clock, the state and run
/// directories, systemd and logind.
/// </summary>
public sealed record MachineServices
{
    /// <summary>The kexec system calls on a machine; each operation makes one.</summary>
    public required Func<RunningSystem, IKexecSystem> Kexec { get; init; }

    /// <summary>geteuid(2).</summary>
    public required Func<uint> EffectiveUid { get; init; }

    /// <summary>Where the running machine's /proc, /sys and /run are: <c>/</c>, or a fixture directory in tests.</summary>
    public string MachineDirectory { get; init; } = RunningSystem.LiveMachine;

    /// <summary>
    /// The directory rekernel.conf's <c>metrics_file</c> is under: <c>/</c> on the live machine, a temporary
    /// directory in tests; null writes no metrics (the default, so that no test writes to the real path).
    /// </summary>
    public string? MetricsRoot { get; init; }

    /// <summary>The kexec-tools program for staging through it: a name looked up in PATH, or a path.</summary>
    public string KexecToolsExecutable { get; init; } = "kexec";

    /// <summary>Reads the boot entries of a boot configuration tree.</summary>
    public Func<BootRoot, BootInventory> Discover { get; init; } = BootDiscovery.Discover;

    /// <summary>The settings of rekernel.conf, read when an operation needs them.</summary>
    public Func<RekernelConfig> Config { get; init; } = () => RekernelConfig.Defaults;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Waits while <c>verify</c> lets the machine settle; tests advance their clock instead.</summary>
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <summary>The units systemd lists as failed, null when it cannot be asked; none asked but on the live machine.</summary>
    public Func<IReadOnlyList<string>?> FailedUnits { get; init; } = () => null;

    /// <summary>Makes the id of the <c>rekernel.switch=</c> token of each staged kernel (random; fixed in tests).</summary>
    public Func<string> NewSwitchToken { get; init; } = SwitchToken.New;

    /// <summary>The zone wall-clock times (<c>--when HH:MM</c>, maintenance windows) are in.</summary>
    public TimeZoneInfo TimeZone
    {
        // Read when first asked: TimeZoneInfo.Local reads and parses /etc/localtime, which status and list never need.
        get => _timeZone ??= TimeZoneInfo.Local;
        init => _timeZone = value;
    }

    private TimeZoneInfo? _timeZone;

    public required string StateDirectory { get; init; }
    public required string RunDirectory { get; init; }
    public Func<ISwitcher> Graceful { get; init; } = () => new SystemdSwitcher();
    public Func<IShutdownScheduler> Scheduler { get; init; } = () => new LogindScheduler();

    /// <summary>Arms the hardware watchdog for a switch through systemd, when it survives the jump.</summary>
    public Func<IKexecWatchdog> KexecWatchdog { get; init; } = () => new SystemdKexecWatchdog();
    public TimeSpan LockWait { get; init; } = ProcessLock.DefaultWait;

    /// <summary>The programs rekernel hands work to (grub-editenv, bootctl).</summary>
    public IPrograms Programs { get; init; } = SystemPrograms.Instance;

    /// <summary>The journal's file system; null for the real, atomic one.</summary>
    public IStateFileSystem? StateFiles { get; init; }

    /// <summary>The running machine, with <paramref name="release"/> assumed running when given (<c>--running</c>).</summary>
    public RunningSystem Machine(string? release = null) => new(MachineDirectory, release);

    public SwitchJournal Journal() => new(StateDirectory, StateFiles);

    /// <summary>How a kernel would be staged on <paramref name="machine"/> (<see cref="StagingMethod.Choose"/>).</summary>
    /// <param name="requested">kexec-tools was asked for (<c>--use-kexec-tools</c>).</param>
    public StagingMethod Staging(RunningSystem machine, bool requested) =>
        StagingMethod.Choose(machine.KernelConfig, requested, KexecToolsExecutable, () => Kexec(machine).HasFileLoad);

    /// <summary>Takes the one-rekernel-at-a-time lock, saying through <paramref name="events"/> whom it waits for.</summary>
    public ProcessLock Lock(string command, OperationEvents events)
    {
        if (ProcessLock.ReadHolder(Path.Join(RunDirectory, "lock")) is not { } holder)
            return ProcessLock.Acquire(RunDirectory, command, LockWait);
        events.Progress($"waiting up to {LockWait.TotalSeconds:0.#} s for {holder.Command} (pid {holder.Pid}) to finish...");
        try { return ProcessLock.Acquire(RunDirectory, command, LockWait); }
        finally { events.ProgressDone(); }
    }

    /// <summary>The live machine: real system calls, rekernel.conf, and directories from the environment.</summary>
    public static MachineServices Live() => new()
    {
        Kexec = machine => new LinuxKexecSystem(machine, UserIdentity.EffectiveUid()),
        EffectiveUid = UserIdentity.EffectiveUid,
        Config = () => ConfigFile.Load(RekernelConfig.PathFromEnvironment(), UserIdentity.EffectiveUid()),
        FailedUnits = Health.FailedUnits.List,
        StateDirectory = SwitchJournal.StateDirectoryFromEnvironment(),
        RunDirectory = ProcessLock.RunDirectoryFromEnvironment(),
        MetricsRoot = "/",
    };
}

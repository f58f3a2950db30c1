using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Locking;
using Rekernel.Switching;

namespace Rekernel.Cli;

/// <summary>
/// What <c>switch</c>, <c>verify</c> and <c>history</c> touch outside themselves, so tests can replace each part:
/// the system calls, the clock, the state and run directories, the machine's root, systemd and logind.
/// </summary>
public sealed class SwitchServices
{
    /// <summary>The kexec system calls; created only by commands that need them.</summary>
    public required Func<IKexecSystem> Kexec { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The zone <c>--when HH:MM</c> and the history table's times are in.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    public required string StateDirectory { get; init; }
    public required string RunDirectory { get; init; }

    /// <summary>Where /proc, /sys and /run are read (the live machine: <c>/</c>).</summary>
    public required BootRoot SystemRoot { get; init; }

    public Func<ISwitcher> Graceful { get; init; } = () => new SystemdSwitcher();
    public Func<IShutdownScheduler> Scheduler { get; init; } = () => new LogindScheduler();
    public TimeSpan LockWait { get; init; } = ProcessLock.DefaultWait;

    /// <summary>The journal's file system; null for the real, atomic one.</summary>
    public IStateFileSystem? StateFiles { get; init; }

    public SwitchJournal Journal() => new(StateDirectory, StateFiles);

    public ProcessLock Lock(string command) => ProcessLock.Acquire(RunDirectory, command, LockWait);

    /// <summary>Takes the lock like <see cref="Lock(string)"/>, showing on a terminal whom it waits for.</summary>
    public ProcessLock Lock(string command, CliConsole console)
    {
        if (console.ShowsProgress && ProcessLock.ReadHolder(Path.Join(RunDirectory, "lock")) is { } holder)
        {
            console.Progress($"waiting up to {LockWait.TotalSeconds:0.#} s for {holder.Command} (pid {holder.Pid}) to finish...");
            try { return Lock(command); }
            finally { console.EndProgress(); }
        }
        return Lock(command);
    }

    /// <summary>The live machine, with directories from <c>REKERNEL_STATE_DIR</c> and <c>REKERNEL_RUN_DIR</c>.</summary>
    public static SwitchServices FromProcess(Func<IKexecSystem> kexec) => new()
    {
        Kexec = kexec,
        StateDirectory = SwitchJournal.StateDirectoryFromEnvironment(),
        RunDirectory = ProcessLock.RunDirectoryFromEnvironment(),
        SystemRoot = new BootRoot("/"),
    };
}

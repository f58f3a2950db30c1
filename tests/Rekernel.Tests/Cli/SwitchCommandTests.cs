using Rekernel.Journal;
using Rekernel.Locking;
using Rekernel.Tests.Journal;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Cli;

public sealed class SwitchCommandTests : IDisposable
{
    private readonly SwitchSandbox _box = new();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void NothingStaged_RefusesAndNamesLoad()
    {
        _box.Kexec.Loaded = false;

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal((int)ExitCode.NotFound, run.Exit);
        Assert.Equal("rekernel: no kernel is staged; run `rekernel load` first.\n", run.Err);
        Assert.Empty(_box.Journal.History);
        Assert.Equal(0, _box.Systemd.Switches);
    }

    [Fact]
    public void WithoutSystemd_GracefulSwitchIsRefused_AndNamesNow()
    {
        _box.Stage();
        _box.NotSystemd();

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        Assert.Contains("PID 1 is not systemd", run.Err);
        Assert.Contains("use --now", run.Err);
        Assert.Empty(_box.Journal.History);
    }

    [Fact]
    public void NoTerminalAndNoYes_RefusesAndNamesYes()
    {
        _box.Stage();

        SwitchRun run = _box.Run("switch");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        Assert.Equal("rekernel: switch asks for confirmation, but standard input is not a terminal; pass --yes to switch without asking.\n", run.Err);
        Assert.Empty(_box.Journal.History);
        Assert.Equal(0, _box.Systemd.Switches);
    }

    [Fact]
    public void Now_RecordsThePendingSwitchBeforeTheJump()
    {
        _box.Stage();
        SwitchRecord? onDiskAtJump = null;
        _box.Kexec.OnReboot = () => onDiskAtJump = _box.Journal.Pending;

        SwitchRun run = _box.Run("switch --now --yes");

        Assert.Equal(0, run.Exit);
        Assert.Equal(["IsLoaded", "SyncAndRebootIntoStaged"], _box.Kexec.Calls);
        Assert.NotNull(onDiskAtJump);
        Assert.Equal(OldKernel, onDiskAtJump.FromVersion);
        Assert.Equal(NewKernel, onDiskAtJump.ToVersion);
        Assert.Equal("/boot/vmlinuz-" + NewKernel, onDiskAtJump.KernelPath);
        Assert.Equal(KexecCmdline, onDiskAtJump.Cmdline);
        Assert.Equal(Token, onDiskAtJump.Token);
        Assert.Equal(SwitchMode.Now, onDiskAtJump.Mode);
        Assert.Equal(T0, onDiskAtJump.RequestedAt);
        Assert.Equal(_box.BootId, onDiskAtJump.BootId);
        Assert.Equal(SwitchOutcome.Pending, onDiskAtJump.Outcome);
        Assert.Equal(0, _box.Systemd.Switches);
    }

    [Fact]
    public void Now_WithoutSystemd_IsAllowed()
    {
        _box.Stage();
        _box.NotSystemd();

        Assert.Equal(0, _box.Run("switch --now --yes").Exit);
        Assert.Contains("SyncAndRebootIntoStaged", _box.Kexec.Calls);
    }

    [Fact]
    public void Graceful_AsksSystemd_AfterRecording()
    {
        _box.Stage();

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal(0, run.Exit);
        Assert.Equal(1, _box.Systemd.Switches);
        Assert.DoesNotContain("SyncAndRebootIntoStaged", _box.Kexec.Calls);
        Assert.Equal(SwitchMode.Graceful, _box.Journal.Pending?.Mode);
        Assert.Equal($"switching to {NewKernel}: systemd is stopping services (kexec.target); run `rekernel verify` once the machine is back.\n", run.Out);
    }

    [Fact]
    public void Terminal_AnsweredNo_ChangesNothing()
    {
        _box.Stage();

        SwitchRun run = _box.Run("switch", terminal: "n\n");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        Assert.StartsWith($"Switch from {OldKernel} to {NewKernel} now? Services will stop", run.Out);
        Assert.Contains("not confirmed; nothing was changed", run.Err);
        Assert.Empty(_box.Journal.History);
        Assert.Equal(0, _box.Systemd.Switches);
    }

    [Fact]
    public void Terminal_AnsweredYes_Switches()
    {
        _box.Stage();

        SwitchRun run = _box.Run("switch", terminal: "y\n");

        Assert.Equal(0, run.Exit);
        Assert.Equal(1, _box.Systemd.Switches);
    }

    [Fact]
    public void When_SchedulesThroughLogind_AndCancelSettlesTheRecord()
    {
        _box.Stage();

        SwitchRun scheduled = _box.Run("switch --when +5min --yes");

        Assert.Equal(0, scheduled.Exit);
        Assert.Equal(T0.AddMinutes(5), _box.Logind.ScheduledAt);
        Assert.Equal(0, _box.Systemd.Switches);
        SwitchRecord pending = _box.Journal.Pending!;
        Assert.Equal(SwitchMode.Scheduled, pending.Mode);
        Assert.Equal(T0.AddMinutes(5), pending.ScheduledFor);
        Assert.Contains("scheduled for 2025-06-01 10:05:00 +00:00; cancel it with `rekernel switch --cancel`.", scheduled.Out);

        SwitchRun cancelled = _box.Run("switch --cancel");

        Assert.Equal(0, cancelled.Exit);
        Assert.Equal(1, _box.Logind.Cancels);
        Assert.Null(_box.Logind.ScheduledAt);
        Assert.Equal(SwitchOutcome.Cancelled, Assert.Single(_box.Journal.History).Outcome);
        Assert.Equal($"cancelled the switch to {NewKernel}; the kernel stays staged.\n", cancelled.Out);
    }

    [Fact]
    public void WhenNow_IsAGracefulSwitchAtOnce()
    {
        _box.Stage();

        Assert.Equal(0, _box.Run("switch --when now --yes").Exit);

        Assert.Equal(1, _box.Systemd.Switches);
        Assert.Null(_box.Logind.ScheduledAt);
    }

    [Fact]
    public void NowAndWhenTogether_IsAUsageError()
    {
        SwitchRun run = _box.Run("switch --now --when +5min --yes");

        Assert.Equal((int)ExitCode.Usage, run.Exit);
        Assert.Contains("--now and --when exclude each other", run.Err);
    }

    [Fact]
    public void SystemdRefuses_TheRecordSaysTheSwitchDidNotHappen()
    {
        _box.Stage();
        _box.Systemd.Failure = new RekernelException(ExitCode.Refused, "org.freedesktop.systemd1 refused StartUnit: org.freedesktop.DBus.Error.AccessDenied: no.");

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.Cancelled, record.Outcome);
        Assert.Contains("AccessDenied", record.Detail);
        Assert.Null(_box.Journal.Pending);
    }

    [Fact]
    public void StagedInAnEarlierBoot_IsIgnored_WithAWarning()
    {
        _box.Stage(bootId: "22222222-bbbb-4bbb-8bbb-222222222222");

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal(0, run.Exit);
        Assert.Contains("warning: the staged kernel was not loaded by `rekernel load` in this boot", run.Err);
        Assert.Null(_box.Journal.Pending?.ToVersion);
    }

    [Fact]
    public void DiskFull_NoJumpHappens_AndTheMessageSaysSo()
    {
        _box.Stage();
        _box.StateFiles = new FailingStateFileSystem(28, "No space left on device");

        SwitchRun run = _box.Run("switch --now --yes");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        Assert.DoesNotContain("SyncAndRebootIntoStaged", _box.Kexec.Calls);
        // The sandbox has no bootloader, so the no-return-path warning comes first.
        Assert.EndsWith(
            $"\nrekernel: cannot write {_box.StateDirectory}/journal.json (no space left on device); the switch was not started and the previous file is intact: free space or fix {_box.StateDirectory}, then retry.\n",
            run.Err);
    }

    [Fact]
    public void AnotherRekernelRunning_FailsBusy()
    {
        _box.Stage();
        using ProcessLock held = ProcessLock.Acquire(_box.RunDirectory, "rekernel load", TimeSpan.Zero);

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal((int)ExitCode.Busy, run.Exit);
        Assert.Equal($"rekernel: another rekernel (pid {Environment.ProcessId}, `rekernel load`) holds {_box.RunDirectory}/lock; wait for it or stop it.\n", run.Err);
        Assert.Equal(0, _box.Systemd.Switches);
    }
}

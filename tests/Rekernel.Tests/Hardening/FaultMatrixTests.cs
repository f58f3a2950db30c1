using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Journal;
using Rekernel.Tests.Planning;
using Rekernel.Native;
using Rekernel.Operations;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Every way the kernel, the disk or another process can fail a command: the exit code is the documented one, the
/// message is one line, the journal stays readable, and no kernel stays staged that the user did not ask for.
/// </summary>
public sealed class FaultMatrixTests
{
    // Numbers and names as in Linux's include/uapi/asm-generic/errno-base.h and errno.h.
    private static readonly (int Errno, string Name)[] Named =
    [
        (1, "EPERM"), (2, "ENOENT"), (8, "ENOEXEC"), (9, "EBADF"), (12, "ENOMEM"), (13, "EACCES"), (16, "EBUSY"), (22, "EINVAL"), (27, "EFBIG"),
        (38, "ENOSYS"), (61, "ENODATA"), (74, "EBADMSG"), (90, "EMSGSIZE"), (126, "ENOKEY"), (127, "EKEYEXPIRED"), (128, "EKEYREVOKED"), (129, "EKEYREJECTED"),
        (6, "errno 6") /* ENXIO: not one rekernel knows */, (7, "errno 7") /* E2BIG */,
    ];

    public static TheoryData<int> Errnos => [.. Named.Select(n => n.Errno)];

    public static TheoryData<int, string> ErrnosAndNames
    {
        get
        {
            var data = new TheoryData<int, string>();
            foreach ((int errno, string name) in Named) data.Add(errno, name);
            return data;
        }
    }

    private sealed record Outcome(int Code, string Out, string Err);

    private static Outcome Run(TempBootTree tree, IKexecSystem kexec, SwitchSandbox sandbox, params string[] args)
    {
        BootEntry target = DebianTree.Entry();
        MachineServices services = sandbox.RunningDebian().ServicesWith(kexec) with { Discover = _ => new BootInventory([target], target, Bootloader.Grub, []) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] full = args[0] is "load" or "upgrade" ? [.. args, "--root", tree.HostPath] : args;
        int code = CliApp.Run(full, new CliConsole(stdout, stderr), services);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertOneLineError(Outcome o, ExitCode expected, string? contains = null)
    {
        Assert.Equal((int)expected, o.Code);
        // Warnings before the failure (such as a switch without a return path) are not part of the error.
        string[] lines = [.. o.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("rekernel: warning: ", StringComparison.Ordinal))];
        Assert.True(lines.Length == 1, $"expected one error line on stderr, got: {o.Err}");
        Assert.StartsWith("rekernel: ", lines[0]);
        Assert.DoesNotContain("internal error", lines[0]);
        if (contains is not null) Assert.Contains(contains, lines[0]);
    }

    private static void AssertJournalReadable(SwitchSandbox sandbox)
    {
        _ = sandbox.Journal.History;
        _ = sandbox.Journal.Staged;
    }

    [Theory]
    [MemberData(nameof(ErrnosAndNames))]
    public void Load_KernelRefusesTheImage_ExitsKexecFailed_NothingStaged(int errno, string name)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem { IsLoaded = true }.FailOn("LoadFile", errno);
        Outcome o = Run(tree, fake, sandbox, "load");
        AssertOneLineError(o, ExitCode.KexecFailed, $"({name})");
        Assert.False(fake.IsLoaded);
        Assert.Null(sandbox.Journal.Staged);
        AssertJournalReadable(sandbox);
    }

    [Theory]
    [MemberData(nameof(Errnos))]
    public void Load_UnloadOfThePreviousKernelFails_ExitsKexecFailed_NothingNewLoaded(int errno)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem().FailOn("Unload", errno);
        Outcome o = Run(tree, fake, sandbox, "load");
        AssertOneLineError(o, ExitCode.KexecFailed, "unloading the staged kernel");
        Assert.DoesNotContain("LoadFile", fake.Calls);
        Assert.Null(sandbox.Journal.Staged);
    }

    [Theory]
    [MemberData(nameof(Errnos))]
    public void Unload_Fails_ExitsKexecFailed_AndKeepsTheStagedRecord(int errno)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        sandbox.Stage();
        var fake = new FakeKexecSystem { IsLoaded = true }.FailOn("Unload", errno);
        Outcome o = Run(tree, fake, sandbox, "unload");
        AssertOneLineError(o, ExitCode.KexecFailed);
        Assert.True(fake.IsLoaded);
        Assert.NotNull(sandbox.Journal.Staged);
    }

    [Theory]
    [MemberData(nameof(Errnos))]
    public void UpgradeNow_JumpFails_UnloadsWhatItStaged_AndJournalsTheFailure(int errno)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem().FailOn("Reboot", errno);
        Outcome o = Run(tree, fake, sandbox, "upgrade", "--now", "--yes");
        AssertOneLineError(o, ExitCode.KexecFailed, "jumping into the staged kernel");
        Assert.Equal(["Unload", "LoadFile", "Reboot", "Unload"], fake.Calls);
        Assert.False(fake.IsLoaded);
        Assert.Null(sandbox.Journal.Staged);
        Assert.Equal(SwitchOutcome.Cancelled, sandbox.Journal.History[0].Outcome);
    }

    [Theory]
    [MemberData(nameof(Errnos))]
    public void SwitchNow_AfterLoad_JumpFails_KernelStaysStagedAsTheUserAsked(int errno)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem().FailOn("Reboot", errno);
        Assert.Equal(0, Run(tree, fake, sandbox, "load").Code);
        Outcome o = Run(tree, fake, sandbox, "switch", "--now", "--yes");
        AssertOneLineError(o, ExitCode.KexecFailed);
        Assert.True(fake.IsLoaded);
        Assert.Equal(SwitchOutcome.Cancelled, sandbox.Journal.History[0].Outcome);
        Assert.NotNull(sandbox.Journal.Staged);
    }

    [Theory]
    [MemberData(nameof(Errnos))]
    public void UpgradeNow_UnloadAfterAFailedJumpFailsToo_SaysTheKernelIsStillStaged(int errno)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FailingAfterLoad(errno);
        Outcome o = Run(tree, fake, sandbox, "upgrade", "--now", "--yes");
        AssertOneLineError(o, ExitCode.KexecFailed, "the kernel is still staged because unloading it failed too");
        Assert.Contains("run `rekernel unload`", o.Err);
        AssertJournalReadable(sandbox);
    }

    [Fact]
    public void Upgrade_SystemdRefusesTheSwitch_UnloadsWhatItStaged()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        sandbox.Systemd.Failure = new RekernelException(ExitCode.Refused, "systemd refused to start kexec.target: Transaction is destructive.");
        var fake = new FakeKexecSystem();
        Outcome o = Run(tree, fake, sandbox, "upgrade", "--yes");
        AssertOneLineError(o, ExitCode.Refused, "Transaction is destructive");
        Assert.Equal(["Unload", "LoadFile", "Unload"], fake.Calls);
        Assert.False(fake.IsLoaded);
        Assert.Equal(SwitchOutcome.Cancelled, sandbox.Journal.History[0].Outcome);
    }

    [Fact]
    public void Upgrade_WhenTimeHasPassed_IsAUsageError_AndUnloadsWhatItStaged()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem();
        Outcome o = Run(tree, fake, sandbox, "upgrade", "--yes", "--when", "2000-01-01T00:00:00Z");
        AssertOneLineError(o, ExitCode.Usage, "that time has passed");
        Assert.False(fake.IsLoaded);
        Assert.Null(sandbox.Journal.Staged);
    }

    [Theory]
    [InlineData(28, "No space left on device", "no space left on device")]
    [InlineData(5, "Input/output error", "input/output error")]
    public void Load_JournalWriteFails_UnloadsTheKernel_SoNothingUnrecordedStaysStaged(int errno, string message, string shown)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox { StateFiles = new FailingStateFileSystem(errno, message) };
        var fake = new FakeKexecSystem();
        Outcome o = Run(tree, fake, sandbox, "load");
        AssertOneLineError(o, ExitCode.Refused, shown);
        Assert.Equal(["Unload", "LoadFile", "Unload"], fake.Calls);
        Assert.False(fake.IsLoaded);
    }

    [Theory]
    [InlineData(28, "No space left on device", "no space left on device")]
    [InlineData(5, "Input/output error", "input/output error")]
    public void Upgrade_JournalFillsUpHalfWayThroughAWrite_OldJournalIntact_NothingStaged_NextRunWorks(int errno, string message, string shown)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        // A first, successful switch, so there is an old journal to keep intact.
        Assert.Equal(0, Run(tree, new FakeKexecSystem(), sandbox, "upgrade", "--now", "--yes").Code);
        byte[] before = File.ReadAllBytes(sandbox.Journal.JournalPath);

        // health.json and staged.json are written whole, then the journal write fills the disk half-way.
        using var full = new SwitchSandbox { StateFiles = new HalfWritingStateFileSystem(errno, message) { FailAfter = 2 } };
        CopyState(sandbox, full);
        var fake = new FakeKexecSystem();
        Outcome o = Run(tree, fake, full, "upgrade", "--now", "--yes");
        AssertOneLineError(o, ExitCode.Refused, shown);
        Assert.Contains("the previous file is intact", o.Err);
        Assert.False(fake.IsLoaded);
        Assert.DoesNotContain("Reboot", fake.Calls);
        Assert.Equal(before, File.ReadAllBytes(full.Journal.JournalPath));
        Assert.Null(full.Journal.Staged);
        AssertJournalReadable(full);

        // Space freed: the next upgrade works and removes the half-written temporary file.
        using var retry = new SwitchSandbox();
        CopyState(full, retry);
        Assert.Equal(0, Run(tree, new FakeKexecSystem(), retry, "upgrade", "--now", "--yes").Code);
        Assert.Empty(Directory.GetFiles(retry.StateDirectory, "*.tmp-*"));
        Assert.Equal(2, retry.Journal.History.Count);
    }

    [Fact]
    public void Load_LockFileLeftByADeadProcess_IsTakenOver()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        Directory.CreateDirectory(sandbox.RunDirectory);
        // What a rekernel killed with SIGKILL leaves: its pid and command, but no flock (the kernel dropped it).
        File.WriteAllText(Path.Join(sandbox.RunDirectory, "lock"), "999999\nrekernel load\n");
        var fake = new FakeKexecSystem();
        Outcome o = Run(tree, fake, sandbox, "load");
        Assert.True(o.Code == 0, o.Err);
        Assert.True(fake.IsLoaded);
    }

    private static void CopyState(SwitchSandbox from, SwitchSandbox to)
    {
        Directory.CreateDirectory(to.StateDirectory);
        foreach (string f in Directory.GetFiles(from.StateDirectory)) File.Copy(f, Path.Join(to.StateDirectory, Path.GetFileName(f)), overwrite: true);
    }

    /// <summary>Loads fine; the jump and every unload after it fail with the errno.</summary>
    private sealed class FailingAfterLoad(int errno) : IKexecSystem
    {
        private readonly FakeKexecSystem _inner = new();
        private bool _loaded;

        public bool? IsLoaded => _inner.IsLoaded;
        public bool HasFileLoad => _inner.HasFileLoad;
        public Microsoft.Win32.SafeHandles.SafeFileHandle CreateMemoryFile(string name) => _inner.CreateMemoryFile(name);

        public void LoadFile(Microsoft.Win32.SafeHandles.SafeFileHandle kernel, Microsoft.Win32.SafeHandles.SafeFileHandle? initrd, string cmdline)
        {
            _inner.LoadFile(kernel, initrd, cmdline);
            _loaded = true;
        }

        public void Unload()
        {
            if (_loaded) throw KexecErrors.Exception(errno, KexecOperation.Unload, _inner.Facts);
            _inner.Unload();
        }

        public void SyncAndRebootIntoStaged() => throw KexecErrors.Exception(errno, KexecOperation.Reboot, _inner.Facts);
    }
}

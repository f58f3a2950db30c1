using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Kexec;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;
using Rekernel.Operations;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Two rekernels at once (an admin and the timer, two shells, load during switch) with the real lock in a
/// temporary run directory: kexec calls never interleave, and the one that has to wait gives up with
/// <see cref="ExitCode.Busy"/> naming the holder.
/// </summary>
public sealed class ConcurrencyTests
{
    /// <summary>A fake kexec shared by both commands that logs each call with the calling thread, and can hold a call open.</summary>
    private sealed class SlowKexec : IKexecSystem
    {
        private readonly FakeKexecSystem _inner = new();
        private readonly object _gate = new();

        public List<(int Thread, string Call)> Log { get; } = [];
        public ManualResetEventSlim InLoad { get; } = new();
        public ManualResetEventSlim ReleaseLoad { get; } = new(initialState: true);

        public bool? IsLoaded { get { lock (_gate) return _inner.IsLoaded; } }
        public bool HasFileLoad { get { lock (_gate) return _inner.HasFileLoad; } }

        public SafeFileHandle CreateMemoryFile(string name) => _inner.CreateMemoryFile(name);

        public void LoadFile(SafeFileHandle kernel, SafeFileHandle? initrd, string cmdline)
        {
            Note("LoadFile:start");
            InLoad.Set();
            ReleaseLoad.Wait(TimeSpan.FromSeconds(10));
            lock (_gate) _inner.LoadFile(kernel, initrd, cmdline);
            Note("LoadFile:end");
        }

        public void Unload()
        {
            Note("Unload");
            lock (_gate) _inner.Unload();
        }

        public void SyncAndRebootIntoStaged() => Note("Reboot");

        private void Note(string call)
        {
            lock (_gate) Log.Add((Environment.CurrentManagedThreadId, call));
        }
    }

    private static int Run(TempBootTree tree, SwitchSandbox sandbox, IKexecSystem kexec, TimeSpan lockWait, StringWriter err, params string[] args)
    {
        BootEntry target = DebianTree.Entry();
        MachineServices services = sandbox.RunningDebian().ServicesWith(kexec) with
        {
            Discover = _ => new BootInventory([target], target, Bootloader.Grub, []),
            LockWait = lockWait,
        };
        bool timeArgs = args[0] is "load" or "upgrade";
        string[] full = timeArgs ? [.. args, "--root", tree.HostPath] : args;
        return CliApp.Run(full, new CliConsole(new StringWriter(), err), services);
    }

    /// <summary>The calls of each thread form one contiguous run: no call of one command falls between two of the other's.</summary>
    private static void AssertNotInterleaved(List<(int Thread, string Call)> log)
    {
        var runs = new List<int>();
        foreach ((int thread, _) in log)
            if (runs.Count == 0 || runs[^1] != thread) runs.Add(thread);
        Assert.True(runs.Count == runs.Distinct().Count(), "kexec calls interleaved: " + string.Join(", ", log.Select(l => $"{l.Thread}:{l.Call}")));
    }

    [Fact]
    public async Task TwoLoadsAtOnce_TheSecondWaitsForTheFirst_CallsNeverInterleave()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var kexec = new SlowKexec();
        kexec.ReleaseLoad.Reset();
        var err1 = new StringWriter();
        var err2 = new StringWriter();
        Task<int> first = Task.Run(() => Run(tree, sandbox, kexec, TimeSpan.FromSeconds(10), err1, "load"));
        Assert.True(kexec.InLoad.Wait(TimeSpan.FromSeconds(10)));
        Task<int> second = Task.Run(() => Run(tree, sandbox, kexec, TimeSpan.FromSeconds(10), err2, "load"));
        Thread.Sleep(300); // the second is now polling the lock
        kexec.ReleaseLoad.Set();
        Assert.Equal(0, await first);
        Assert.Equal(0, await second);
        AssertNotInterleaved(kexec.Log);
        Assert.Equal(6, kexec.Log.Count);
        Assert.True(kexec.IsLoaded);
    }

    [Fact]
    public async Task LoadWhileAnotherLoadHoldsTheLock_GivesUpBusy_NamingTheHolder()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var kexec = new SlowKexec();
        kexec.ReleaseLoad.Reset();
        var err = new StringWriter();
        Task<int> first = Task.Run(() => Run(tree, sandbox, kexec, TimeSpan.FromSeconds(10), new StringWriter(), "upgrade", "--now", "--yes"));
        Assert.True(kexec.InLoad.Wait(TimeSpan.FromSeconds(10)));
        var waited = Stopwatch.StartNew();
        int code = Run(tree, sandbox, kexec, TimeSpan.FromMilliseconds(300), err, "load");
        kexec.ReleaseLoad.Set();
        Assert.Equal(0, await first);
        Assert.Equal((int)ExitCode.Busy, code);
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        Assert.Equal($"rekernel: another rekernel (pid {Environment.ProcessId}, `rekernel upgrade`) holds {Path.Join(sandbox.RunDirectory, "lock")}; wait for it or stop it.\n", err.ToString());
        AssertNotInterleaved(kexec.Log);
        Assert.Equal(["Unload", "LoadFile:start", "LoadFile:end", "Reboot"], kexec.Log.Select(l => l.Call));
    }

    [Theory]
    [InlineData("switch")]
    [InlineData("verify")]
    [InlineData("unload")]
    public async Task TimerOrAdminCommandDuringALoad_IsSerialized(string command)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var kexec = new SlowKexec();
        kexec.ReleaseLoad.Reset();
        Task<int> load = Task.Run(() => Run(tree, sandbox, kexec, TimeSpan.FromSeconds(10), new StringWriter(), "load"));
        Assert.True(kexec.InLoad.Wait(TimeSpan.FromSeconds(10)));
        var err = new StringWriter();
        string[] args = command == "switch" ? ["switch", "--now", "--yes"] : [command];
        Task<int> other = Task.Run(() => Run(tree, sandbox, kexec, TimeSpan.FromSeconds(10), err, args));
        Thread.Sleep(300);
        Assert.False(other.IsCompleted, $"{command} ran while load held the lock");
        kexec.ReleaseLoad.Set();
        Assert.Equal(0, await load);
        // verify finds nothing pending after a load alone: exit 11.
        Assert.True(await other == (command == "verify" ? (int)ExitCode.NothingToVerify : 0), err.ToString());
        AssertNotInterleaved(kexec.Log);
        Assert.Equal(["Unload", "LoadFile:start", "LoadFile:end"], kexec.Log.Take(3).Select(l => l.Call));
    }

    [Fact]
    public void LockHeldByAnotherProcess_LoadIsBusy_ThenFreeOnceThatProcessIsKilled()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        Directory.CreateDirectory(sandbox.RunDirectory);
        string lockPath = Path.Join(sandbox.RunDirectory, "lock");
        File.WriteAllText(lockPath, "4242\nrekernel switch --when 03:00\n");
        using Process holder = Process.Start("flock", ["--exclusive", lockPath, "sleep", "30"])!;
        try
        {
            var fake = new FakeKexecSystem();
            var err = new StringWriter();
            // Wait until flock(1) holds the lock, so no load of ours takes it first and rewrites the holder line.
            var deadline = Stopwatch.StartNew();
            while (!HeldByAnother(lockPath) && deadline.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
            int code = Run(tree, sandbox, fake, TimeSpan.FromMilliseconds(500), err, "load");
            Assert.True(code == (int)ExitCode.Busy, $"exit {code}: {err}");
            Assert.Contains("pid 4242, `rekernel switch --when 03:00`", err.ToString());
            Assert.False(fake.IsLoaded);

            // flock(1) passes the locked descriptor to its command: the lock is free once both are dead.
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
            var after = new StringWriter();
            int freed = Run(tree, sandbox, fake, TimeSpan.FromSeconds(5), after, "load");
            Assert.True(freed == 0, $"exit {freed}: {after}");
            Assert.True(fake.IsLoaded);
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
    }

    private static bool HeldByAnother(string lockPath)
    {
        using Process probe = Process.Start("flock", ["--nonblock", lockPath, "true"])!;
        probe.WaitForExit();
        return probe.ExitCode != 0;
    }
}

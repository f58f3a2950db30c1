using System.Diagnostics;
using Rekernel.Locking;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Locking;

public sealed class ProcessLockTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LockPath => _dir.File("lock");

    /// <summary>util-linux flock(1) holding the lock while it runs <paramref name="command"/>; returns once it holds it.</summary>
    private Process HoldWithFlock(params string[] command)
    {
        var start = new ProcessStartInfo("flock") { UseShellExecute = false };
        start.ArgumentList.Add("--exclusive");
        start.ArgumentList.Add(LockPath);
        foreach (string c in command) start.ArgumentList.Add(c);
        Process child = Process.Start(start)!;
        var waited = Stopwatch.StartNew();
        while (!IsHeld() && !child.HasExited && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        return child;
    }

    private bool IsHeld()
    {
        if (!File.Exists(LockPath)) return false;
        var probe = new ProcessStartInfo("flock") { UseShellExecute = false };
        foreach (string a in new[] { "--nonblock", "--conflict-exit-code", "99", LockPath, "true" }) probe.ArgumentList.Add(a);
        using Process p = Process.Start(probe)!;
        p.WaitForExit();
        return p.ExitCode == 99;
    }

    [Fact]
    public void SecondRekernel_WaitsBriefly_ThenFailsBusyNamingTheHolder()
    {
        _dir.Write("lock", "1234\nrekernel load\n");
        using Process holder = HoldWithFlock("sleep", "10");
        try
        {
            var waited = Stopwatch.StartNew();
            var ex = Assert.Throws<RekernelException>(() => ProcessLock.Acquire(_dir.Path, "rekernel switch", TimeSpan.FromMilliseconds(300)));

            Assert.Equal(ExitCode.Busy, ex.ExitCode);
            Assert.Equal($"another rekernel (pid 1234, `rekernel load`) holds {LockPath}; wait for it or stop it.", ex.Message);
            Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void HolderFinishesWhileWeWait_LockIsTaken()
    {
        using Process holder = HoldWithFlock("sleep", "0.5");
        Assert.True(IsHeld());
        var waited = Stopwatch.StartNew();

        using ProcessLock taken = ProcessLock.Acquire(_dir.Path, "rekernel switch", TimeSpan.FromSeconds(10));

        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        Assert.Equal(new LockHolder(Environment.ProcessId, "rekernel switch"), ProcessLock.ReadHolder(LockPath));
    }

    [Fact]
    public void LockFileLeftByADeadProcess_IsTakenOverAtOnce()
    {
        _dir.Write("lock", "1234\nrekernel load\n");
        using (Process dead = HoldWithFlock("true")) dead.WaitForExit();

        using ProcessLock taken = ProcessLock.Acquire(_dir.Path, "rekernel switch", TimeSpan.Zero);

        Assert.Equal(new LockHolder(Environment.ProcessId, "rekernel switch"), ProcessLock.ReadHolder(LockPath));
    }

    [Fact]
    public void LockHeldInThisProcess_BlocksASecondAcquire_UntilReleased()
    {
        ProcessLock first = ProcessLock.Acquire(_dir.Path, "rekernel load", TimeSpan.Zero);
        var ex = Assert.Throws<RekernelException>(() => ProcessLock.Acquire(_dir.Path, "rekernel switch", TimeSpan.FromMilliseconds(150)));
        Assert.Contains($"(pid {Environment.ProcessId}, `rekernel load`)", ex.Message);

        first.Dispose();

        Assert.Equal("", File.ReadAllText(LockPath));
        using ProcessLock second = ProcessLock.Acquire(_dir.Path, "rekernel switch", TimeSpan.Zero);
    }

    [Fact]
    public void RunDirectoryIsCreated_WhenMissing()
    {
        using ProcessLock taken = ProcessLock.Acquire(_dir.File("run/rekernel"), "rekernel verify", TimeSpan.Zero);

        Assert.Equal(_dir.File("run/rekernel/lock"), taken.Path);
    }
}

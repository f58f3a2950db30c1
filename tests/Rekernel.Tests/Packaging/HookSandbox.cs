using System.Diagnostics;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Packaging;

/// <summary>
/// Runs one of the package-manager hooks under /bin/sh with a fake <c>rekernel</c> first in PATH that records its
/// arguments and exits with a chosen code, a config file and a state directory of its own.
/// </summary>
public sealed class HookSandbox : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public HookSandbox(string config, int rekernelExit = 0)
    {
        _dir.Write("rekernel.conf", config);
        string fake = _dir.Write("bin/rekernel", $"#!/bin/sh\necho \"$*\" >> '{_dir.File("calls")}'\necho 'fake rekernel: something on stderr' >&2\nexit {rekernelExit}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(_dir.File("state"));
    }

    /// <summary>What <c>rekernel load</c> leaves in staged.json for <paramref name="version"/>.</summary>
    public void Staged(string version) =>
        _dir.Write("state/staged.json", $"{{\n  \"version\": \"{version}\",\n  \"entryId\": null\n}}\n");

    /// <summary>The argument lines the fake rekernel was called with, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(_dir.File("calls")) ? File.ReadAllLines(_dir.File("calls")) : [];

    public (int Exit, string Err) Run(string hook, params string[] args)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(TestPaths.Repo, "packaging", hook));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["PATH"] = _dir.File("bin") + ":/usr/bin:/bin";
        start.Environment["REKERNEL_CONFIG"] = _dir.File("rekernel.conf");
        start.Environment["REKERNEL_STATE_DIR"] = _dir.File("state");
        using Process process = Process.Start(start)!;
        string err = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, err);
    }

    public void Dispose() => _dir.Dispose();
}

using System.ComponentModel;
using System.Diagnostics;

namespace Rekernel.Processes;

/// <summary>
/// Runs the programs rekernel delegates to (kexec-tools, systemctl, journalctl, systemd-analyze): found in
/// <c>PATH</c> and then the system directories, since a sudo-less <c>PATH</c> may lack sbin; output captured,
/// in the C locale and without colours so it can be parsed.
/// </summary>
public static class ProgramRunner
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The executable for <paramref name="program"/>: a path as given when it has a slash, else the first in PATH or a system directory; null when none exists.</summary>
    public static string? Locate(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? program : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories)
            .Select(dir => Path.Join(dir, program))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs <paramref name="path"/> to completion, or until <paramref name="timeout"/> has passed, when it and its
    /// children are killed and the run says <see cref="ProgramRun.TimedOut"/>; null when it cannot be started (not executable).
    /// </summary>
    public static ProgramRun? Run(string path, IReadOnlyList<string> arguments, bool captureOutput = true, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = captureOutput,
            RedirectStandardError = captureOutput,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        start.Environment["SYSTEMD_COLORS"] = "0";
        start.Environment["LC_ALL"] = "C";
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stdout = captureOutput ? process.StandardOutput.ReadToEndAsync() : Task.FromResult("");
            Task<string> stderr = captureOutput ? process.StandardError.ReadToEndAsync() : Task.FromResult("");
            bool exited = process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan);
            if (!exited) process.Kill(entireProcessTree: true);
            // A child that left the process tree (daemonised) may hold the pipes open: its output is not waited for.
            bool read = Task.WaitAll([stdout, stderr], exited ? Timeout.InfiniteTimeSpan : PipeGrace);
            process.WaitForExit();
            return new ProgramRun(exited ? process.ExitCode : -1, read ? stdout.Result : "", read ? stderr.Result : "") { TimedOut = !exited };
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    /// <summary>How long a killed program's pipes are read after the kill.</summary>
    private static readonly TimeSpan PipeGrace = TimeSpan.FromSeconds(1);
}

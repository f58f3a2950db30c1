using System.Diagnostics;
using System.ComponentModel;

namespace Rekernel.Fleet.Agent;

/// <summary>Runs the operator's pre- and post-switch commands through <c>/bin/sh -c</c>, each with a time limit.</summary>
public static class ShellCommands
{
    /// <summary>Runs <paramref name="commands"/> in order; null when all exit 0, else why the first that failed did.</summary>
    public static string? RunAll(IEnumerable<string> commands, string kind, TimeSpan timeout)
    {
        foreach (string command in commands)
            if (Run(command, timeout) is { } why) return $"{kind} command '{command}' {why}";
        return null;
    }

    private static string? Run(string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return $"did not finish within {timeout.TotalSeconds:0.#} s";
            }
            if (process.ExitCode == 0) return null;
            string last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
            return $"failed with exit {process.ExitCode} ({last})";
        }
        catch (Win32Exception ex)
        {
            return $"could not start ({ex.Message})";
        }
    }
}

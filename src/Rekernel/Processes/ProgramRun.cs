namespace Rekernel.Processes;

/// <summary>How a program ended: its exit code and what it printed.</summary>
public readonly record struct ProgramRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Whether it was killed because it ran longer than it was given.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The last non-empty line of standard error, the one that usually says why; "no message" when none.</summary>
    public string Reason => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
}

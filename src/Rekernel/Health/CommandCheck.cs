using System.Globalization;
using Rekernel.Processes;

namespace Rekernel.Health;

/// <summary>Runs an operator's <see cref="HealthCommand"/> with <c>/bin/sh -c</c>: exit 0 passes; any other exit, or running past the timeout, fails.</summary>
public static class CommandCheck
{
    public const string Shell = "/bin/sh";

    public static HealthCheck Run(HealthCommand command, TimeSpan timeout)
    {
        string seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        if (ProgramRunner.Run(Shell, ["-c", command.Command], timeout: timeout) is not { } run)
            return new HealthCheck(command.CheckName, false, $"{Shell} could not be started to run `{command.Command}`");
        if (run.TimedOut)
            return new HealthCheck(command.CheckName, false, $"`{command.Command}` did not finish within {seconds} s (health_command_timeout) and was killed");
        return run.ExitCode == 0
            ? new HealthCheck(command.CheckName, true, $"`{command.Command}` exited with 0")
            : new HealthCheck(command.CheckName, false, $"`{command.Command}` exited with {run.ExitCode.ToString(CultureInfo.InvariantCulture)} ({run.Reason})");
    }
}

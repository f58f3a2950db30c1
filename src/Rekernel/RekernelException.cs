namespace Rekernel;

/// <summary>
/// A failure the user can act on: <see cref="Exception.Message"/> is one sentence naming the cause and the fix,
/// and <see cref="ExitCode"/> is what the command exits with. <see cref="Finding"/> keeps the cause and the
/// remedy apart, so the CLI can word the remedy with its flags.
/// </summary>
public class RekernelException : Exception
{
    public RekernelException(ExitCode exitCode, string message, Exception? inner = null) : this(exitCode, new Finding(message), inner) { }

    public RekernelException(ExitCode exitCode, Finding finding, Exception? inner = null) : base(finding.Text, inner)
    {
        ExitCode = exitCode;
        Finding = finding;
    }

    public ExitCode ExitCode { get; }

    public Finding Finding { get; }
}

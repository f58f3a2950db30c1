namespace Rekernel;

/// <summary>
/// A failure the user can act on: <see cref="Exception.Message"/> is one sentence naming the cause and the fix,
/// and <see cref="ExitCode"/> is what the command exits with.
/// </summary>
public class RekernelException : Exception
{
    public RekernelException(ExitCode exitCode, string message, Exception? inner = null) : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public ExitCode ExitCode { get; }
}

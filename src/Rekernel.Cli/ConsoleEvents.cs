using Rekernel.Cli.Rendering;
using Rekernel.Operations;

namespace Rekernel.Cli;

/// <summary>How an operation's events show on the console: warnings on stderr, long steps as a status line.</summary>
public static class ConsoleEvents
{
    public static OperationEvents For(CliConsole console) => new()
    {
        Diagnostic = d => WarningsWriter.Write(console, [d]),
        Warning = w => console.Error.WriteLine($"rekernel: warning: {FlagAdvice.Sentence(w)}"),
        Progress = console.Progress,
        ProgressDone = console.EndProgress,
        Jumping = r =>
        {
            console.Out.WriteLine($"switching to {r.ToVersion ?? "the staged kernel"} now (sync, then reboot into the staged kernel).");
            console.Out.Flush();
        },
    };
}

using Rekernel.Discovery;

namespace Rekernel.Cli.Rendering;

/// <summary>Reports configuration problems on stderr, one line each with file:line, so stdout stays parseable.</summary>
public static class WarningsWriter
{
    public static void Write(CliConsole console, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (Diagnostic d in diagnostics)
            console.Error.WriteLine($"rekernel: warning: {d}");
    }
}

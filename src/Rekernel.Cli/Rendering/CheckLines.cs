using Rekernel.Health;

namespace Rekernel.Cli.Rendering;

/// <summary>The health checks of a switch, one line each ("  pass  drivers: ..."), for <c>verify</c> and <c>history --explain</c>.</summary>
public static class CheckLines
{
    public static void Write(CliConsole console, IReadOnlyList<HealthCheck> checks)
    {
        foreach (HealthCheck c in checks)
            console.Out.WriteLine($"  {(c.Passed ? console.Paint("pass", AnsiColor.Green) : console.Paint("FAIL", AnsiColor.Red))}  {c.Name}: {c.Detail}");
    }
}

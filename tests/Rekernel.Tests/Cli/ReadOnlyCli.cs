using Rekernel.Cli;
using Rekernel.Tests.Fakes;

namespace Rekernel.Tests.Cli;

/// <summary>Runs a read-only command line in memory (a fake kexec, a sandboxed journal), capturing its output.</summary>
internal static class ReadOnlyCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var sandbox = new SwitchSandbox();
        int code = CliApp.Run(args, new CliConsole(output, error), sandbox.Services);
        return (code, output.ToString(), error.ToString());
    }
}

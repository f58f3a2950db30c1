using System.CommandLine;
using Rekernel.Discovery;

namespace Rekernel.Cli;

/// <summary>Options several commands share; each call makes a new instance for one command.</summary>
public static class CommonOptions
{
    public static Option<string> Root() => new("--root")
    {
        Description = "Read boot configuration from DIR instead of / (a mounted image or a fixture tree).",
        HelpName = "DIR",
        DefaultValueFactory = _ => "/",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON." };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print nothing on standard output; errors and warnings still go to standard error." };

    public static Option<string?> Running() => new("--running")
    {
        Description = "Treat VERSION as the running kernel (for --root trees; default: uname -r of this machine).",
        HelpName = "VERSION",
    };

    /// <summary>The boot root named by <c>--root</c>; a missing directory is a usage error.</summary>
    public static BootRoot BootRootFrom(string path)
    {
        if (!Directory.Exists(path)) ThrowHelper.Usage($"--root {path}: no such directory; give the directory that holds the machine's /boot.");
        return new BootRoot(path);
    }
}

namespace Rekernel.Planning;

/// <summary>
/// The proof that a kernel came up through one particular kexec: <c>rekernel.switch=ID</c> on the staged command
/// line. The kernel ignores unknown <c>module.param</c> words, and a firmware reboot starts the bootloader's command
/// line, which never has it, so only the kexec'd kernel shows it in <c>/proc/cmdline</c>.
/// </summary>
public static class SwitchToken
{
    public const string Key = "rekernel.switch";

    /// <summary>A fresh id: 12 lowercase hex characters (48 random bits), short enough for any command line.</summary>
    // A version-4 GUID's first 12 hex digits are random. Not RandomNumberGenerator: on Linux that is OpenSSL, which
    // the NativeAOT binary then needs at run time (an initramfs without libssl aborts), and uniqueness is enough here.
    public static string New() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>The command-line argument carrying <paramref name="id"/>.</summary>
    public static string Argument(string id) => $"{Key}={id}";

    /// <summary>Whether <paramref name="cmdline"/> (a kernel's /proc/cmdline) carries the token <paramref name="id"/>.</summary>
    public static bool IsIn(string? cmdline, string id) =>
        cmdline is not null && KernelArgs.Split(cmdline).Contains(Argument(id), StringComparer.Ordinal);
}

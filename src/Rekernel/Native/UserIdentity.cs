using System.Runtime.InteropServices;

namespace Rekernel.Native;

/// <summary>Who this process runs as; kexec needs CAP_SYS_BOOT, which in practice means root.</summary>
public static partial class UserIdentity
{
    public static uint EffectiveUid() => GetEuid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}

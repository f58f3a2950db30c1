using System.Runtime.InteropServices;

namespace Rekernel.Native;

/// <summary>
/// <c>open(2)</c> flags. Most are the same on x86-64 and arm64, but <c>O_DIRECTORY</c> and <c>O_NOFOLLOW</c> are
/// not: arm64's <c>O_DIRECTORY</c> (0x4000) is x86-64's <c>O_DIRECT</c>, so each has a value per architecture.
/// tools/consts-check compares every value with the system headers.
/// </summary>
internal static class OpenFlags
{
    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    /// <summary>Opening a FIFO without it blocks until a writer appears.</summary>
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const int O_DIRECTORY_x64 = 0x10000;
    public const int O_DIRECTORY_arm64 = 0x4000;
    public const int O_NOFOLLOW_x64 = 0x20000;
    public const int O_NOFOLLOW_arm64 = 0x8000;

    public static int O_DIRECTORY => IsArm64 ? O_DIRECTORY_arm64 : O_DIRECTORY_x64;
    public static int O_NOFOLLOW => IsArm64 ? O_NOFOLLOW_arm64 : O_NOFOLLOW_x64;

    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
}

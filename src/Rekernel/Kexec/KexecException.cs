using Rekernel.Native;

namespace Rekernel.Kexec;

/// <summary>A kexec-related system call failed; <see cref="Errno"/> is the raw error number.</summary>
public sealed class KexecException : RekernelException
{
    public KexecException(int errno, Finding finding) : base(ExitCode.KexecFailed, finding)
    {
        Errno = errno;
    }

    public int Errno { get; }
}

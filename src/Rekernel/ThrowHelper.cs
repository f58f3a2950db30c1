using System.Diagnostics.CodeAnalysis;

namespace Rekernel;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Refuse(string message) => throw new RekernelException(ExitCode.Refused, message);

    [DoesNotReturn]
    public static void Refuse(string cause, Remedy remedy) => throw new RekernelException(ExitCode.Refused, new Finding(cause, remedy));

    [DoesNotReturn]
    public static void NotFound(string message) => throw new RekernelException(ExitCode.NotFound, message);

    [DoesNotReturn]
    public static void Usage(string message) => throw new RekernelException(ExitCode.Usage, message);
}

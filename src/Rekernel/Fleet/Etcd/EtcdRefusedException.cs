namespace Rekernel.Fleet.Etcd;

/// <summary>etcd answered and said no (permission denied, bad request, wrong credentials); retrying elsewhere would not help.</summary>
public sealed class EtcdRefusedException(string cause, int grpcCode)
    : RekernelException(ExitCode.EtcdFailed, $"{cause.TrimEnd('.')}; check the etcd user and its role (--etcd-user), or the etcd version (3.4 or later).")
{
    /// <summary>gRPC's Unauthenticated (16) or an expired token: authenticating again may help.</summary>
    public bool IsStaleToken => grpcCode == 16 || Message.Contains("invalid auth token", StringComparison.Ordinal);
}

namespace Rekernel.Fleet.Etcd;

/// <summary>No endpoint answered; the agent waits and retries on it, a <c>fleet</c> command stops with its sentence.</summary>
public sealed class EtcdUnavailableException(string message, Exception? inner = null)
    : RekernelException(ExitCode.EtcdFailed, message, inner);

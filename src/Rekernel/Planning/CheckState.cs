namespace Rekernel.Planning;

/// <summary>What a <see cref="ReadinessCheck"/> means for staging.</summary>
public enum CheckState
{
    Ok,
    /// <summary>Staging goes ahead, but it may fail for this reason (lockdown: only signed kernels load).</summary>
    Warning,
    /// <summary>Staging is refused.</summary>
    Blocking,
}

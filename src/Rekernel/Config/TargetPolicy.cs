namespace Rekernel.Config;

/// <summary><c>target =</c> in rekernel.conf: which kernel <c>load</c> and <c>upgrade</c> take when none is named.</summary>
public enum TargetPolicy
{
    /// <summary>The kernel the bootloader would boot next.</summary>
    Default,
    /// <summary>The newest installed kernel.</summary>
    Latest,
}

namespace Rekernel.Fleet;

/// <summary>A JSON value rekernel keeps in etcd; <see cref="Format"/> lets a later rekernel change the layout without an older one misreading it.</summary>
public interface IFleetRecord
{
    /// <summary>The layout this rekernel writes and reads.</summary>
    public const int CurrentFormat = 1;

    int Format { get; }
}

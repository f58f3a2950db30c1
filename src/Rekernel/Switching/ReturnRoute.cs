using Rekernel.Journal;

namespace Rekernel.Switching;

/// <summary>The return path a switch would set now, or the one sentence why there is none (exactly one of the two).</summary>
public sealed record ReturnRoute(ReturnPath? Path, string? Reason)
{
    public static ReturnRoute To(ReturnPath path) => new(path, null);

    public static ReturnRoute None(string reason) => new(null, reason);
}

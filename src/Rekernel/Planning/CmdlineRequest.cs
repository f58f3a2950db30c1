using System.Collections.Immutable;

namespace Rekernel.Planning;

/// <summary>How the user asked to change the command line of the kernel to be staged.</summary>
public sealed record CmdlineRequest
{
    /// <summary><c>--cmdline FULL</c>: replaces the entry's (or running) command line entirely.</summary>
    public string? Replace { get; init; }

    /// <summary><c>--append ARG</c>, in order.</summary>
    public ImmutableArray<string> Append { get; init; } = [];

    /// <summary><c>--remove KEY</c>: drops <c>KEY</c> and <c>KEY=...</c>.</summary>
    public ImmutableArray<string> Remove { get; init; } = [];

    /// <summary><c>panic=N</c> added when the line has no <c>panic=</c>; null disables the safety net (<c>--no-panic-reboot</c>).</summary>
    public int? PanicTimeout { get; init; } = 10;

    /// <summary>The id of <c>rekernel.switch=ID</c>, added next to <c>panic=N</c> (<see cref="SwitchToken"/>); null adds none.</summary>
    public string? Token { get; init; }
}

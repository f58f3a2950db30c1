using System.Collections.Immutable;

namespace Rekernel.Config;

/// <summary>
/// The settings of <c>/etc/rekernel.conf</c>; every property's default is what rekernel does without the file.
/// Command-line options override them.
/// </summary>
public sealed record RekernelConfig
{
    public const string DefaultPath = "/etc/rekernel.conf";

    /// <summary>The variable that points rekernel at another config file (tests, images).</summary>
    public const string PathVariable = "REKERNEL_CONFIG";

    public static RekernelConfig Defaults { get; } = new();

    public TargetPolicy Target { get; init; } = TargetPolicy.Default;

    /// <summary>Added to the command line before <c>--append</c>'s arguments.</summary>
    public ImmutableArray<string> Append { get; init; } = [];

    /// <summary>Removed from the command line before <c>--remove</c>'s keys.</summary>
    public ImmutableArray<string> Remove { get; init; } = [];

    /// <summary>Seconds for <c>panic=N</c>; null turns the safety net off (<c>panic_timeout = 0</c>).</summary>
    public int? PanicTimeout { get; init; } = 10;

    public SwitchPolicy Switch { get; init; } = SwitchPolicy.Graceful;

    /// <summary>When <c>upgrade --in-window</c> may switch; null: at any time.</summary>
    public MaintenanceWindow? MaintenanceWindow { get; init; }

    /// <summary>Whether the package-manager hooks stage a newly installed kernel.</summary>
    public bool AutoStage { get; init; }

    /// <summary>The <c>[fleet]</c> section.</summary>
    public FleetConfig Fleet { get; init; } = new();

    /// <summary>The file named by <c>REKERNEL_CONFIG</c>, else <see cref="DefaultPath"/>.</summary>
    public static string PathFromEnvironment() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : DefaultPath;
}

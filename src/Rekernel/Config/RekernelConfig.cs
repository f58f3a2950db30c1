using System.Collections.Immutable;
using Rekernel.Health;

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

    /// <summary>The operator's health commands <c>verify</c> runs after a switch (<c>health_command</c>, repeated), in file order.</summary>
    public ImmutableArray<HealthCommand> HealthCommands { get; init; } = [];

    /// <summary>How long each health command may run before it is killed and fails.</summary>
    public TimeSpan HealthCommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <c>verify</c> waits for drivers, interfaces, kdump and units to come back before judging.</summary>
    public TimeSpan VerifySettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether unattended switches (<c>--yes</c>, the timer) may go ahead when a volume is unlocked by a TPM2-sealed key.</summary>
    public bool AllowTpm2Unlock { get; init; }

    /// <summary>Where <c>verify</c> and the agent write their node_exporter metrics (<c>metrics_file</c>); null (an empty value) writes none.</summary>
    public string? MetricsFile { get; init; } = Metrics.MetricsFile.DefaultPath;

    /// <summary>The <c>[fleet]</c> section.</summary>
    public FleetConfig Fleet { get; init; } = new();

    /// <summary>The file named by <c>REKERNEL_CONFIG</c>, else <see cref="DefaultPath"/>.</summary>
    public static string PathFromEnvironment() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : DefaultPath;
}

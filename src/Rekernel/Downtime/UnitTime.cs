namespace Rekernel.Downtime;

/// <summary>How long one systemd unit took to start or to stop.</summary>
public readonly record struct UnitTime(string Unit, double Seconds);

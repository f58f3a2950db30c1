namespace Rekernel.Health;

/// <summary>A device with a driver bound to it: <c>/sys/bus/BUS/devices/DEVICE/driver</c> links to <c>.../drivers/DRIVER</c>.</summary>
public readonly record struct BoundDevice(string Bus, string Device, string Driver);

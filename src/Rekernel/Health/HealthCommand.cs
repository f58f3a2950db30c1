namespace Rekernel.Health;

/// <summary>
/// An operator's health command from rekernel.conf (<c>health_command = NAME: COMMAND</c>): a shell command that
/// exits 0 when the machine is healthy. Its check is named "command: NAME".
/// </summary>
public readonly record struct HealthCommand(string Name, string Command)
{
    public string CheckName => "command: " + Name;
}

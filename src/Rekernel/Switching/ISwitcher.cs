namespace Rekernel.Switching;

/// <summary>Starts the jump into the staged kernel.</summary>
public interface ISwitcher
{
    /// <summary>
    /// Starts the switch. A graceful switcher returns once systemd has accepted the job (the machine then goes
    /// down on its own); a direct one returns only by throwing.
    /// </summary>
    void Switch();
}

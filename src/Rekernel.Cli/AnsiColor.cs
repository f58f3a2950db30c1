namespace Rekernel.Cli;

/// <summary>ANSI SGR colour codes used by the text renderers.</summary>
public enum AnsiColor
{
    Bold = 1,
    Red = 31,
    Green = 32,
    Yellow = 33,
    Cyan = 36,
}

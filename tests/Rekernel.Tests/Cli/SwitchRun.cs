namespace Rekernel.Tests.Cli;

/// <summary>The result of one in-memory command run: exit code, standard output, standard error.</summary>
public readonly record struct SwitchRun(int Exit, string Out, string Err);

using Rekernel.Cli;

return CliApp.Run(args, CliConsole.FromProcess());

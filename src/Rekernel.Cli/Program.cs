using Rekernel.Cli;

NoGcBudget.Start();
return CliApp.Run(args, CliConsole.FromProcess());

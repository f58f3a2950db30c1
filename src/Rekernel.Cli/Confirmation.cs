using System.Globalization;
using Rekernel.Journal;
using Rekernel.Operations;

namespace Rekernel.Cli;

/// <summary>Asks on the terminal before a switch; without <c>--yes</c> and without a terminal, refuses.</summary>
public static class Confirmation
{
    /// <summary>The question for an intent, answered on <paramref name="console"/>; null when <paramref name="yes"/> means nobody is asked.</summary>
    public static Func<SwitchIntent, bool>? Asker(CliConsole console, bool yes, TimeZoneInfo zone) =>
        yes ? null : intent => Ask(console, Question(intent, zone));

    private static bool Ask(CliConsole console, string question)
    {
        if (console.Input is null)
            throw new RekernelException(ExitCode.Refused, new Finding("switch asks for confirmation, but standard input is not a terminal", Remedy.Confirm));
        console.Out.Write($"{question} [y/N] ");
        console.Out.Flush();
        string answer = (console.Input.ReadLine() ?? "").Trim();
        return answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase);
    }

    private static string Question(SwitchIntent intent, TimeZoneInfo zone)
    {
        string move = $"Switch from {intent.From} to {intent.To ?? "the staged kernel"}";
        return intent.Mode switch
        {
            SwitchMode.Now => $"{move} now, WITHOUT stopping services?",
            SwitchMode.Scheduled => $"{move} at {Local(intent.At!.Value, zone)}? Services will stop then.",
            _ => $"{move} now? Services will stop and the machine restarts into the new kernel.",
        };
    }

    /// <summary>A moment in the user's zone, as the switch commands print it.</summary>
    public static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}

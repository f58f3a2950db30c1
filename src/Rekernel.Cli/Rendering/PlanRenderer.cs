using Rekernel.Planning;

namespace Rekernel.Cli.Rendering;

/// <summary>The text and JSON forms of a staging plan, for <c>load</c> and <c>upgrade</c>.</summary>
public static class PlanRenderer
{
    public static void WriteStaged(CliConsole console, LoadPlan plan)
    {
        string initrds = plan.Initrds.IsEmpty ? "no initrd" : $"initrds {string.Join(", ", plan.Initrds)}";
        console.Out.WriteLine($"Staged {plan.Entry.Version ?? plan.Entry.Title} (kernel {plan.Kernel}, {initrds}) with command line: {plan.Cmdline}");
    }

    public static void WriteDryRun(CliConsole console, LoadPlan plan)
    {
        console.Out.WriteLine("Would stage (dry run; nothing staged):");
        console.Out.WriteLine($"  entry    {plan.Entry.Id} ({plan.Entry.Title})");
        console.Out.WriteLine($"  version  {plan.Entry.Version ?? "?"}");
        console.Out.WriteLine($"  kernel   {plan.Kernel}");
        foreach (string initrd in plan.Initrds) console.Out.WriteLine($"  initrd   {initrd}");
        console.Out.WriteLine($"  cmdline  {plan.Cmdline}");
        console.Out.WriteLine($"  kexec-tools equivalent: {plan.KexecToolsCommand}");
    }

    /// <param name="more">Further properties, for the plans that have them (<c>upgrade --dry-run</c>).</param>
    public static void WriteJson(CliConsole console, LoadPlan plan, bool staged, IReadOnlyList<Finding> warnings, Action<System.Text.Json.Utf8JsonWriter>? more = null) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("staged", staged);
            w.WriteString("entry", plan.Entry.Id);
            w.WriteString("title", plan.Entry.Title);
            w.WriteString("version", plan.Entry.Version);
            w.WriteString("kernel", plan.Kernel);
            JsonOutput.WriteStrings(w, "initrds", plan.Initrds);
            w.WriteString("cmdline", plan.Cmdline);
            w.WriteString("kexecTools", plan.KexecToolsCommand);
            JsonOutput.WriteStrings(w, "warnings", warnings.Select(FlagAdvice.Sentence));
            more?.Invoke(w);
            w.WriteEndObject();
        });
}

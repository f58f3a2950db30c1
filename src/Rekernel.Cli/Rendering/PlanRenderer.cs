using Rekernel.Operations;
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

    public static void WriteDryRun(CliConsole console, StagePlan staging)
    {
        LoadPlan plan = staging.Load;
        console.Out.WriteLine("Would stage (dry run; nothing staged):");
        console.Out.WriteLine($"  entry    {plan.Entry.Id} ({plan.Entry.Title})");
        console.Out.WriteLine($"  version  {plan.Entry.Version ?? "?"}");
        console.Out.WriteLine($"  kernel   {plan.Kernel}");
        foreach (string initrd in plan.Initrds) console.Out.WriteLine($"  initrd   {initrd}");
        console.Out.WriteLine($"  cmdline  {plan.Cmdline}");
        console.Out.WriteLine($"  loader   {staging.Method.Loader}: {staging.Method.Reason}");
        console.Out.WriteLine($"  kexec-tools equivalent: {staging.KexecToolsCommand}");
    }

    /// <param name="more">Further properties, for the plans that have them (<c>upgrade --dry-run</c>).</param>
    public static void WriteJson(CliConsole console, StagePlan staging, bool staged, IReadOnlyList<Finding> warnings, Action<System.Text.Json.Utf8JsonWriter>? more = null) =>
        JsonOutput.Write(console.Out, w =>
        {
            LoadPlan plan = staging.Load;
            w.WriteStartObject();
            w.WriteBoolean("staged", staged);
            w.WriteString("entry", plan.Entry.Id);
            w.WriteString("title", plan.Entry.Title);
            w.WriteString("version", plan.Entry.Version);
            w.WriteString("kernel", plan.Kernel);
            JsonOutput.WriteStrings(w, "initrds", plan.Initrds);
            w.WriteString("cmdline", plan.Cmdline);
            w.WriteString("loader", staging.Method.Loader);
            w.WriteString("loaderReason", staging.Method.Reason);
            w.WriteString("kexecTools", staging.KexecToolsCommand);
            JsonOutput.WriteStrings(w, "warnings", warnings.Select(FlagAdvice.Sentence));
            more?.Invoke(w);
            w.WriteEndObject();
        });
}

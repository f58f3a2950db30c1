namespace Rekernel.Planning;

/// <summary>
/// Splits a kernel command line into arguments the way the kernel's <c>next_arg()</c> does: spaces separate
/// arguments except inside double quotes, so <c>foo="a b"</c> is one argument. Arguments are kept verbatim.
/// </summary>
public static class KernelArgs
{
    public static IReadOnlyList<string> Split(string cmdline)
    {
        var args = new List<string>();
        int i = 0;
        while (i < cmdline.Length)
        {
            while (i < cmdline.Length && IsSpace(cmdline[i])) i++;
            if (i >= cmdline.Length) break;
            int start = i;
            bool inQuote = false;
            for (; i < cmdline.Length; i++)
            {
                if (cmdline[i] == '"') inQuote = !inQuote;
                else if (!inQuote && IsSpace(cmdline[i])) break;
            }
            args.Add(cmdline[start..i]);
        }
        return args;
    }

    /// <summary>The parameter name of an argument: the part before the first <c>=</c>, quotes removed (as next_arg() does, even inside quotes).</summary>
    public static string Key(string arg)
    {
        int eq = arg.IndexOf('=');
        return (eq < 0 ? arg : arg[..eq]).Replace("\"", "", StringComparison.Ordinal);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';
}

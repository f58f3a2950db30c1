using System.Text;
using Rekernel.Discovery.Grub;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// <c>$name</c> and <c>${name}</c> in BLS <c>options</c> and <c>initrd</c> values, replaced the way GRUB's blscfg
/// does on RHEL 8 (<c>options $kernelopts $tuned_params</c>, its <c>expand_val</c>): an unset variable becomes
/// nothing, everything else is kept as written. A reference is recognised as GRUB's lexer recognises one.
/// </summary>
internal static class BlsVariables
{
    // An options line of "$a$a$a..." with a large value would otherwise fill memory; no kernel command line is
    // longer than a few kilobytes.
    private const int MaxExpandedLength = 1 << 20;

    private static readonly char[] Blanks = [' ', '\t', '\n'];

    /// <summary>The value with every variable reference replaced by its value.</summary>
    public static string Substitute(string value, Func<string, string?> variables)
    {
        if (!value.Contains('$')) return value;
        var sb = new StringBuilder(value.Length);
        int i = 0;
        while (i < value.Length && sb.Length <= MaxExpandedLength)
        {
            if (value[i] == '$' && GrubVariableSyntax.Read(value, i) is var (name, end))
            {
                sb.Append(variables(name));
                i = end;
                continue;
            }
            sb.Append(value[i++]);
        }
        return sb.ToString();
    }

    /// <summary>A value split on blanks, as GRUB splits an unquoted argument.</summary>
    public static string[] Words(string value) => value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
}

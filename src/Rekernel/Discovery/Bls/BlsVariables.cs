namespace Rekernel.Discovery.Bls;

/// <summary>
/// <c>$name</c> and <c>${name}</c> in BLS <c>options</c> and <c>initrd</c> values, expanded from GRUB's
/// environment the way GRUB's blscfg does on RHEL 8 (<c>options $kernelopts $tuned_params</c>): an unset
/// variable expands to nothing, and an expanded value is split into words like any GRUB command argument.
/// </summary>
internal static class BlsVariables
{
    private const int MaxExpandedLength = 1 << 20;

    /// <summary>The options with variables expanded; a value without <c>$</c> is returned untouched.</summary>
    public static string ExpandOptions(string value, GrubEnv env) =>
        value.Contains('$') ? string.Join(' ', ExpandWords(value, env)) : value;

    /// <summary>The value with variables expanded, split on blanks.</summary>
    public static IReadOnlyList<string> ExpandWords(string value, GrubEnv env) =>
        Expand(value, env).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private static string Expand(string value, GrubEnv env)
    {
        if (!value.Contains('$')) return value;
        var sb = new System.Text.StringBuilder(value.Length);
        int i = 0;
        while (i < value.Length)
        {
            if (value[i] != '$') { sb.Append(value[i++]); continue; }
            int start = i + 1;
            bool braced = start < value.Length && value[start] == '{';
            int nameStart = braced ? start + 1 : start;
            int end = nameStart;
            while (end < value.Length && (char.IsAsciiLetterOrDigit(value[end]) || value[end] == '_')) end++;
            if (braced && (end >= value.Length || value[end] != '}'))
            {
                // Not a well-formed ${name}: kept literally.
                sb.Append(value[i++]);
                continue;
            }
            if (end == nameStart)
            {
                sb.Append(value[i++]);
                continue;
            }
            string name = value[nameStart..end];
            sb.Append(env[name] ?? "");
            // An options line of "$a$a$a..." with a large grubenv value would otherwise fill memory; no
            // kernel command line is longer than a few kilobytes.
            if (sb.Length > MaxExpandedLength) break;
            i = braced ? end + 1 : end;
        }
        return sb.ToString();
    }
}

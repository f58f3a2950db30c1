namespace Rekernel.Discovery.Grub;

/// <summary>
/// A variable reference as GRUB's lexer reads it (grub-core/script/yylex.l): <c>$NAME</c>, <c>${NAME}</c>,
/// <c>$1</c>, <c>${1}</c>, <c>$?</c>, <c>$#</c>, <c>$*</c>, <c>$@</c>. Shared by the script lexer and by BLS
/// values, which GRUB's blscfg expands before it hands them to a <c>linux</c> line.
/// </summary>
internal static class GrubVariableSyntax
{
    /// <summary>The name referenced at <paramref name="dollar"/> (a <c>$</c>) and the index after it; null when no name follows, and the <c>$</c> is literal.</summary>
    public static (string Name, int End)? Read(string text, int dollar)
    {
        int p = dollar + 1;
        bool braced = p < text.Length && text[p] == '{';
        if (braced) p++;
        int nameStart = p;
        if (p < text.Length && (char.IsAsciiLetter(text[p]) || text[p] == '_'))
        {
            while (p < text.Length && (char.IsAsciiLetterOrDigit(text[p]) || text[p] == '_')) p++;
        }
        else if (p < text.Length && char.IsAsciiDigit(text[p]))
        {
            while (p < text.Length && char.IsAsciiDigit(text[p])) p++;
        }
        else if (p < text.Length && text[p] is '?' or '#' or '*' or '@')
        {
            p++;
        }
        if (p == nameStart) return null;
        string name = text[nameStart..p];
        if (braced)
        {
            if (p >= text.Length || text[p] != '}') return null;
            p++;
        }
        return (name, p);
    }
}

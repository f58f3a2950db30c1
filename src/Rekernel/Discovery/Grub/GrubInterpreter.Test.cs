using System.Globalization;

namespace Rekernel.Discovery.Grub;

internal sealed partial class GrubInterpreter
{
    /// <summary>GRUB's <c>test</c> / <c>[</c> (grub-core/commands/test.c): 0 when the expression holds.</summary>
    private int Test(List<string> args)
    {
        int pos = 0;
        _testDepth = 0;
        return Or(args, ref pos) ? 0 : 1;
    }

    // "[ ( ( ( ..." or "! ! ! ..." a million times deep would overflow the stack, which kills the process.
    private const int MaxTestDepth = 64;
    private int _testDepth;

    private bool Or(List<string> a, ref int pos)
    {
        bool value = And(a, ref pos);
        while (pos < a.Count && a[pos] == "-o")
        {
            pos++;
            value = And(a, ref pos) | value;
        }
        return value;
    }

    private bool And(List<string> a, ref int pos)
    {
        bool value = Not(a, ref pos);
        while (pos < a.Count && a[pos] == "-a")
        {
            pos++;
            value = Not(a, ref pos) & value;
        }
        return value;
    }

    private bool Not(List<string> a, ref int pos)
    {
        if (pos < a.Count - 1 && a[pos] == "!")
        {
            pos++;
            if (++_testDepth > MaxTestDepth) { pos = a.Count; return false; }
            try { return !Not(a, ref pos); }
            finally { _testDepth--; }
        }
        return Primary(a, ref pos);
    }

    private bool Primary(List<string> a, ref int pos)
    {
        if (pos >= a.Count) return false;
        if (a[pos] == "(")
        {
            pos++;
            if (++_testDepth > MaxTestDepth) { pos = a.Count; return false; }
            bool inner;
            try { inner = Or(a, ref pos); }
            finally { _testDepth--; }
            if (pos < a.Count && a[pos] == ")") pos++;
            return inner;
        }
        if (pos + 2 < a.Count && IsBinary(a[pos + 1]))
        {
            bool result = Binary(a[pos], a[pos + 1], a[pos + 2]);
            pos += 3;
            return result;
        }
        if (pos + 1 < a.Count && a[pos].Length == 2 && a[pos][0] == '-' && "nzsfed".Contains(a[pos][1]))
        {
            bool result = Unary(a[pos][1], a[pos + 1]);
            pos += 2;
            return result;
        }
        return a[pos++].Length > 0;
    }

    private static bool IsBinary(string op) =>
        op is "=" or "==" or "!=" or "<" or ">" or "<=" or ">=" or "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge";

    private static bool Binary(string left, string op, string right)
    {
        if (op is "=" or "==") return left == right;
        if (op == "!=") return left != right;
        if (op is "<" or ">" or "<=" or ">=")
        {
            int c = string.CompareOrdinal(left, right);
            return op switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
        }
        long l = Integer(left), r = Integer(right);
        return op switch { "-eq" => l == r, "-ne" => l != r, "-lt" => l < r, "-le" => l <= r, "-gt" => l > r, _ => l >= r };
    }

    private static long Integer(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0;

    private bool Unary(char op, string arg) => op switch
    {
        not ('n' or 'z') when !MayLookUp(0) => false,
        'n' => arg.Length > 0,
        'z' => arg.Length == 0,
        'd' => GrubPaths.Existing(_root, arg) is { } d && _root.DirectoryExists(d),
        'f' => GrubPaths.Existing(_root, arg) is { } f && _root.FileExists(f),
        's' => GrubPaths.Existing(_root, arg) is { } s && _root.Resolve(s) is { } host && File.Exists(host) && new FileInfo(host).Length > 0,
        _ => GrubPaths.Existing(_root, arg) is not null,
    };
}

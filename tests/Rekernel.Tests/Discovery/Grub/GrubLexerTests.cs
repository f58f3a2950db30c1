using Rekernel.Discovery;
using Rekernel.Discovery.Grub;

namespace Rekernel.Tests.Discovery.Grub;

public sealed class GrubLexerTests
{
    private static List<GrubToken> Lex(string text, List<Diagnostic>? diagnostics = null) =>
        GrubLexer.Tokens(text, "/boot/grub/grub.cfg", diagnostics ?? [], GrubFlavor.Upstream);

    private static List<string> Words(string text) =>
        [.. Lex(text).Where(t => t.Kind == GrubTokenKind.Word).Select(t => string.Concat(t.Pieces.Select(p => p.IsVariable ? "<" + p.Text + ">" : p.Text)))];

    [Fact]
    public void Quotes_GlueIntoOneWord()
    {
        Assert.Equal(["menuentry", "Debian GNU/Linux, with Linux 6.1", "a b\"c"], Words("menuentry 'Debian GNU/Linux, with Linux 6.1' \"a b\\\"c\""));
        Assert.Equal(["x'y'z\"w\""[..0] + "xyzw"], Words("x'y'z\"w\""));
    }

    [Fact]
    public void Backslash_EscapesOutsideQuotes_AndOnlySomeCharactersInsideDoubleQuotes()
    {
        Assert.Equal(["a b", "\\n$x", "lit\\eral"], Words("a\\ b '\\n$x' \"lit\\eral\""));
    }

    [Fact]
    public void LineContinuation_JoinsLines_AndCountsThem()
    {
        var tokens = Lex("linux /vmlinuz \\\n  ro quiet\ninitrd /initrd");
        Assert.Equal(["linux", "/vmlinuz", "ro", "quiet", "initrd", "/initrd"], Words("linux /vmlinuz \\\n  ro quiet\ninitrd /initrd"));
        Assert.Equal(3, tokens.First(t => t.Plain == "initrd").Line);
    }

    [Fact]
    public void Comments_StartOnlyWhereAWordCould()
    {
        Assert.Equal(["set", "a#b"], Words("set a#b # a comment } ;\n"));
    }

    [Fact]
    public void Braces_SemicolonsAndNewlines_AreTokens()
    {
        var kinds = Lex("if x; then { a }\nfi").Select(t => t.Kind).ToList();
        Assert.Equal([GrubTokenKind.Word, GrubTokenKind.Word, GrubTokenKind.Semicolon, GrubTokenKind.Word, GrubTokenKind.OpenBrace,
            GrubTokenKind.Word, GrubTokenKind.CloseBrace, GrubTokenKind.Newline, GrubTokenKind.Word, GrubTokenKind.End], kinds);
    }

    [Fact]
    public void Variables_PlainBracedAndInsideDoubleQuotes()
    {
        Assert.Equal(["<a>", "x<b>y", "<c>-<d>", "$", "<1>"], Words("$a x${b}y \"${c}-$d\" $ $1"));
        var quoted = Lex("\"${next_entry}\"")[0].Pieces.Single();
        Assert.True(quoted.IsVariable && quoted.IsQuoted);
    }

    [Fact]
    public void UnterminatedQuote_IsReportedWithItsLine_AndLexingGoesOnWithTheNextLine()
    {
        var diagnostics = new List<Diagnostic>();
        var tokens = Lex("set a=1\nmenuentry 'broken {\nset b=2\n", diagnostics);
        Assert.Contains(tokens, t => t.Kind == GrubTokenKind.Error && t.Line == 2);
        Assert.Contains(tokens, t => t.Plain == "b=2" && t.Line == 3);
        Assert.Equal("/boot/grub/grub.cfg:2: unterminated quote; the line is skipped", Assert.Single(diagnostics).ToString());
    }
}

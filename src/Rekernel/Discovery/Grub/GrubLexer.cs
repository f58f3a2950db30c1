using System.Collections.Immutable;
using System.Text;

namespace Rekernel.Discovery.Grub;

/// <summary>
/// Splits GRUB script text into tokens following grub-core/script/yylex.l: blanks separate words; <c>{</c>,
/// <c>}</c>, <c>;</c> and newlines are tokens of their own; a word is glued from unquoted text, <c>'single'</c>
/// and <c>"double"</c> quoted strings, backslash escapes and <c>$var</c> / <c>${var}</c> references;
/// backslash-newline continues a line; <c>#</c> starts a comment only where a word could start.
/// </summary>
internal sealed class GrubLexer
{
    private readonly string _text;
    private readonly string _file;
    private readonly List<Diagnostic> _diagnostics;
    private readonly List<GrubToken> _tokens;
    // Words that are one plain run of text (insmod, gzio, --class, ...) repeat in every entry: each distinct one is
    // made once and its pieces shared, instead of a string and an array per occurrence.
    private readonly Dictionary<string, ImmutableArray<GrubWordPiece>>.AlternateLookup<ReadOnlySpan<char>> _plainWords =
        new Dictionary<string, ImmutableArray<GrubWordPiece>>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly StringBuilder _literal = new();
    private readonly List<GrubWordPiece> _pieces = [];
    private int _pos;
    private int _line = 1;

    private readonly bool _keepHexEscapes;

    private GrubLexer(string text, string file, List<Diagnostic> diagnostics, GrubFlavor flavor)
    {
        _keepHexEscapes = flavor == GrubFlavor.RedHat;
        // grub-mkconfig's output has a token per 10 to 11 bytes: sized once instead of doubling (and copying) a dozen times.
        _tokens = new List<GrubToken>(text.Length / 8 + 1);
        _text = text;
        _file = file;
        _diagnostics = diagnostics;
    }

    /// <summary>The tokens of <paramref name="text"/>, always ending with <see cref="GrubTokenKind.End"/>.</summary>
    public static List<GrubToken> Tokens(string text, string file, List<Diagnostic> diagnostics, GrubFlavor flavor)
    {
        var lexer = new GrubLexer(text, file, diagnostics, flavor);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is ' ' or '\t' or '\r') { _pos++; continue; }
            if (c == '\\' && Peek(1) == '\n') { _pos += 2; _line++; continue; }
            if (c == '#') { SkipComment(); continue; }
            if (c == '\n') { Add(GrubTokenKind.Newline); _pos++; _line++; continue; }
            if (c == ';') { Add(GrubTokenKind.Semicolon); _pos++; continue; }
            if (c == '{') { Add(GrubTokenKind.OpenBrace); _pos++; continue; }
            if (c == '}') { Add(GrubTokenKind.CloseBrace); _pos++; continue; }
            Word();
        }
        Add(GrubTokenKind.End);
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private void Add(GrubTokenKind kind, ImmutableArray<GrubWordPiece> pieces = default) =>
        _tokens.Add(new GrubToken(kind, _line, pieces.IsDefault ? [] : pieces));

    private void SkipComment()
    {
        while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
    }

    private void Word()
    {
        if (PlainWord()) return;
        int startLine = _line;
        _pieces.Clear();
        _literal.Clear();
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (IsWordEnd(c)) break;
            if (c == '\\')
            {
                if (Peek(1) == '\n') { _pos += 2; _line++; continue; }
                if (_keepHexEscapes && GrubCmdline.IsHexEscape(_text.AsSpan(_pos))) { _literal.Append(_text, _pos, 4); _pos += 4; continue; }
                if (_pos + 1 < _text.Length) _literal.Append(_text[_pos + 1]);
                _pos += 2;
                continue;
            }
            if (c == '\'') { if (!SingleQuoted()) { Broken(startLine); return; } continue; }
            if (c == '"') { if (!DoubleQuoted()) { Broken(startLine); return; } continue; }
            if (c == '$' && Variable(quoted: false)) continue;
            _literal.Append(c);
            _pos++;
        }
        FlushLiteral(quoted: false);
        _tokens.Add(new GrubToken(GrubTokenKind.Word, startLine, [.. _pieces]));
    }

    private static bool IsWordEnd(char c) => c is ' ' or '\t' or '\r' or '\n' or ';' or '{' or '}';

    // A word without quotes, escapes or variables is the text as it stands: one shared literal piece per distinct word.
    private bool PlainWord()
    {
        int end = _pos;
        while (end < _text.Length && !IsWordEnd(_text[end]))
        {
            if (_text[end] is '\\' or '\'' or '"' or '$') return false;
            end++;
        }
        ReadOnlySpan<char> word = _text.AsSpan(_pos, end - _pos);
        if (!_plainWords.TryGetValue(word, out ImmutableArray<GrubWordPiece> pieces))
        {
            string text = word.ToString();
            pieces = [new GrubWordPiece(text, IsVariable: false, IsQuoted: false)];
            _plainWords.Dictionary[text] = pieces;
        }
        _tokens.Add(new GrubToken(GrubTokenKind.Word, _line, pieces));
        _pos = end;
        return true;
    }

    // An unterminated quote would swallow the rest of the file; report it, drop that line, and go on
    // with the next one so that the entries after it are still read.
    private void Broken(int startLine)
    {
        _diagnostics.Add(new Diagnostic(_file, startLine, "unterminated quote; the line is skipped"));
        _tokens.Add(new GrubToken(GrubTokenKind.Error, startLine, []));
        _pos = _text.IndexOf('\n', LineStart(startLine)) is int nl and >= 0 ? nl : _text.Length;
        _line = startLine;
    }

    private int LineStart(int line)
    {
        int pos = 0;
        for (int l = 1; l < line && pos >= 0; l++) pos = _text.IndexOf('\n', pos) + 1;
        return Math.Max(pos, 0);
    }

    private bool SingleQuoted()
    {
        int end = _text.IndexOf('\'', _pos + 1);
        if (end < 0) return false;
        FlushLiteral(quoted: false);
        string content = _text[(_pos + 1)..end];
        _line += content.AsSpan().Count('\n');
        _pieces.Add(new GrubWordPiece(content, IsVariable: false, IsQuoted: true));
        _pos = end + 1;
        return true;
    }

    private bool DoubleQuoted()
    {
        FlushLiteral(quoted: false);
        int start = _pos++;
        bool any = false;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                if (_literal.Length > 0 || !any) FlushLiteral(quoted: true, force: true);
                return true;
            }
            if (c == '\\' && _pos + 1 < _text.Length)
            {
                char next = _text[_pos + 1];
                if (next == '\n') { _pos += 2; _line++; continue; }
                // Inside double quotes a backslash only escapes these; elsewhere it stays literal.
                if (next is '\\' or '"' or '$') { _literal.Append(next); _pos += 2; continue; }
                _literal.Append(c);
                _pos++;
                continue;
            }
            if (c == '$' && Variable(quoted: true)) { any = true; continue; }
            if (c == '\n') _line++;
            _literal.Append(c);
            _pos++;
        }
        _pos = start;
        return false;
    }

    private bool Variable(bool quoted)
    {
        if (GrubVariableSyntax.Read(_text, _pos) is not var (name, end)) return false;
        FlushLiteral(quoted);
        _pieces.Add(new GrubWordPiece(name, IsVariable: true, IsQuoted: quoted));
        _pos = end;
        return true;
    }

    private void FlushLiteral(bool quoted, bool force = false)
    {
        if (_literal.Length == 0 && !force) return;
        _pieces.Add(new GrubWordPiece(_literal.ToString(), IsVariable: false, IsQuoted: quoted));
        _literal.Clear();
    }
}

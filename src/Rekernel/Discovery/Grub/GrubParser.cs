using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Rekernel.Discovery.Grub;

/// <summary>
/// Builds statements from tokens after grub-core/script/parser.y: simple commands, <c>if/elif/else/fi</c>,
/// <c>function</c>, <c>menuentry</c>, <c>submenu</c>, <c>{ }</c> blocks, <c>for</c>, <c>while</c> and <c>until</c> loops.
/// A syntax error is reported with its line and drops the statement around it; a block left open at the end
/// of the file is reported and reading starts again on the line after its header, so later entries survive.
/// </summary>
internal sealed class GrubParser
{
    /// <summary>Deeper blocks are reported and skipped; real configurations nest three or four levels.</summary>
    public const int MaxDepth = 64;
    private const int MaxRecoveries = 16;

    private readonly List<GrubToken> _tokens;
    private readonly string _file;
    private readonly List<Diagnostic> _diagnostics;
    private int _pos;
    private int _depth;
    private bool _atEof;

    private GrubParser(List<GrubToken> tokens, string file, List<Diagnostic> diagnostics)
    {
        _tokens = tokens;
        _file = file;
        _diagnostics = diagnostics;
    }

    /// <summary>Errors reported so far, duplicates included: a block whose count grew while it was parsed is broken.</summary>
    private int ErrorCount { get; set; }

    public static ImmutableArray<GrubNode> Program(List<GrubToken> tokens, string file, List<Diagnostic> diagnostics) =>
        new GrubParser(tokens, file, diagnostics).Program();

    private GrubToken Current => _tokens[_pos];

    private ImmutableArray<GrubNode> Program()
    {
        var nodes = ImmutableArray.CreateBuilder<GrubNode>();
        int recoveries = 0;
        while (true)
        {
            SkipSeparators();
            if (Current.Kind == GrubTokenKind.End) break;
            if (Current.Kind == GrubTokenKind.CloseBrace)
            {
                Report(Current.Line, "unexpected '}'");
                _pos++;
                continue;
            }
            int start = _pos;
            _atEof = false;
            _depth = 0;
            GrubNode? node = Statement();
            if (_atEof)
            {
                if (++recoveries > MaxRecoveries)
                {
                    Report(_tokens[start].Line, "too many syntax errors; the rest of the file is ignored");
                    break;
                }
                _pos = NextLine(start);
                continue;
            }
            if (node is not null) nodes.Add(node);
        }
        return nodes.ToImmutable();
    }

    private GrubNode? Statement()
    {
        GrubToken t = Current;
        if (t.Kind == GrubTokenKind.Error) { SkipLine(); return null; }
        if (t.Kind == GrubTokenKind.OpenBrace) return Nested(Block);
        switch (t.Plain)
        {
            case "if": return Nested(If);
            case "function": return Nested(Function);
            case "menuentry" or "submenu": return Nested(Menu);
            case "while" or "until" or "for": return Nested(Loop);
            case "then" or "elif" or "else" or "fi" or "do" or "done":
                Report(t.Line, $"unexpected '{t.Plain}'");
                _pos++;
                SkipLine();
                return null;
            default: return Command();
        }
    }

    private GrubNode? Nested(Func<GrubNode?> parse)
    {
        if (_depth >= MaxDepth)
        {
            Report(Current.Line, $"blocks nested deeper than {MaxDepth} levels are skipped");
            SkipBalanced();
            return null;
        }
        _depth++;
        try { return parse(); }
        finally { _depth--; }
    }

    private GrubCommandNode? Command()
    {
        int line = Current.Line;
        int start = _pos;
        if (!SkipWords()) return null;
        return _pos == start ? null : new GrubCommandNode(line, WordsFrom(start));
    }

    // Steps over a command's words; false (the line skipped) when one of them is broken.
    private bool SkipWords()
    {
        while (Current.Kind == GrubTokenKind.Word) _pos++;
        if (Current.Kind != GrubTokenKind.Error) return true;
        SkipLine();
        return false;
    }

    // The words from start to here, copied once into an array of their size (a builder per command grew and copied).
    private ImmutableArray<GrubToken> WordsFrom(int start) => [.. CollectionsMarshal.AsSpan(_tokens)[start.._pos]];

    private ImmutableArray<GrubNode> List(Func<GrubToken, bool> isTerminator)
    {
        var nodes = ImmutableArray.CreateBuilder<GrubNode>();
        while (true)
        {
            SkipSeparators();
            GrubToken t = Current;
            if (t.Kind is GrubTokenKind.End or GrubTokenKind.CloseBrace || isTerminator(t)) return nodes.ToImmutable();
            GrubNode? node = Statement();
            if (_atEof) return nodes.ToImmutable();
            if (node is not null) nodes.Add(node);
        }
    }

    private GrubIfNode? If()
    {
        int line = Current.Line;
        _pos++;
        var branches = ImmutableArray.CreateBuilder<GrubIfBranch>();
        ImmutableArray<GrubNode> elseBody = [];
        while (true)
        {
            var condition = List(t => t.IsKeyword("then"));
            if (_atEof || !Expect("then", line, "'if' without 'then'")) return null;
            var body = List(t => t.IsKeyword("elif") || t.IsKeyword("else") || t.IsKeyword("fi"));
            if (_atEof) return null;
            branches.Add(new GrubIfBranch(condition, body));
            if (Current.IsKeyword("elif")) { _pos++; continue; }
            if (Current.IsKeyword("else"))
            {
                _pos++;
                elseBody = List(t => t.IsKeyword("fi"));
                if (_atEof) return null;
            }
            return Expect("fi", line, "'if' without 'fi'") ? new GrubIfNode(line, branches.ToImmutable(), elseBody) : null;
        }
    }

    private GrubFunctionNode? Function()
    {
        int line = Current.Line;
        _pos++;
        string? name = Current.Plain;
        if (name is null) { Fail(line, "'function' without a name"); return null; }
        _pos++;
        SkipSeparators();
        if (Current.Kind != GrubTokenKind.OpenBrace) { Fail(line, $"function {name} without '{{'"); return null; }
        var body = BlockBody(line, $"function {name}");
        return body is { } b ? new GrubFunctionNode(line, name, b) : null;
    }

    private GrubMenuNode? Menu()
    {
        int line = Current.Line;
        bool isSubmenu = Current.IsKeyword("submenu");
        string what = isSubmenu ? "submenu" : "menuentry";
        _pos++;
        int start = _pos;
        if (!SkipWords()) return null;
        ImmutableArray<GrubToken> arguments = WordsFrom(start);
        if (Current.Kind != GrubTokenKind.OpenBrace) { Fail(line, $"{what} without '{{'"); return null; }
        int errorsBefore = ErrorCount;
        var body = BlockBody(line, what);
        if (body is not { } b) return null;
        if (ErrorCount > errorsBefore)
        {
            Report(line, $"{what} skipped because of the errors in it");
            return null;
        }
        return new GrubMenuNode(line, isSubmenu, arguments, b);
    }

    // A bare { } block runs its statements in place: an if without branches runs its else part.
    private GrubIfNode? Block()
    {
        int line = Current.Line;
        return BlockBody(line, "block") is { } body ? new GrubIfNode(line, [], body) : null;
    }

    /// <summary>The statements between the current <c>{</c> and its <c>}</c>, or null after reporting why not.</summary>
    private ImmutableArray<GrubNode>? BlockBody(int line, string what)
    {
        _pos++;
        var body = List(_ => false);
        if (_atEof) return null;
        if (Current.Kind != GrubTokenKind.CloseBrace) { Fail(line, $"{what} without '}}'"); return null; }
        _pos++;
        return body;
    }

    private GrubNode? Loop()
    {
        int line = Current.Line;
        string keyword = Current.Plain!;
        _pos++;
        if (keyword == "for") return For(line);
        var condition = List(t => t.IsKeyword("do"));
        if (_atEof || !Expect("do", line, "loop without 'do'")) return null;
        return LoopBody(line) is { } body ? new GrubLoopNode(line, keyword == "until", condition, body) : null;
    }

    private GrubForNode? For(int line)
    {
        string? name = Current.Plain;
        if (name is null) { Fail(line, "'for' without a variable name"); return null; }
        _pos++;
        ImmutableArray<GrubToken> words = [];
        bool hasIn = Current.IsKeyword("in");
        if (hasIn)
        {
            int start = ++_pos;
            while (Current.Kind == GrubTokenKind.Word) _pos++;
            words = WordsFrom(start);
        }
        SkipSeparators();
        if (!Expect("do", line, "loop without 'do'")) return null;
        return LoopBody(line) is { } body ? new GrubForNode(line, name, hasIn, words, body) : null;
    }

    /// <summary>The statements after <c>do</c> up to and including <c>done</c>, or null after reporting why not.</summary>
    private ImmutableArray<GrubNode>? LoopBody(int line)
    {
        var body = List(t => t.IsKeyword("done"));
        if (_atEof) return null;
        return Expect("done", line, "loop without 'done'") ? body : null;
    }

    private bool Expect(string keyword, int line, string message)
    {
        if (Current.IsKeyword(keyword)) { _pos++; return true; }
        Fail(line, message);
        return false;
    }

    // At the end of the file the statement is lost and the caller re-reads from the next line;
    // elsewhere the enclosing block goes on from the unexpected token.
    private void Fail(int line, string message)
    {
        if (Current.Kind == GrubTokenKind.End)
        {
            Report(line, message + " before the end of the file");
            _atEof = true;
            return;
        }
        Report(line, $"{message} (found on line {Current.Line})");
    }

    private void Report(int line, string message)
    {
        ErrorCount++;
        var diagnostic = new Diagnostic(_file, line, message);
        if (!_diagnostics.Contains(diagnostic)) _diagnostics.Add(diagnostic);
    }

    private void SkipSeparators()
    {
        while (Current.Kind is GrubTokenKind.Newline or GrubTokenKind.Semicolon) _pos++;
    }

    private void SkipLine()
    {
        while (Current.Kind is not (GrubTokenKind.Newline or GrubTokenKind.End)) _pos++;
    }

    private int NextLine(int from)
    {
        int i = from;
        while (_tokens[i].Kind is not (GrubTokenKind.Newline or GrubTokenKind.End)) i++;
        return _tokens[i].Kind == GrubTokenKind.End ? i : i + 1;
    }

    // Skips one compound statement without building it, counting braces and block keywords, so that
    // absurdly deep nesting costs linear time and no stack.
    private void SkipBalanced()
    {
        int depth = 0;
        bool started = false;
        bool commandStart = true;
        int line = Current.Line;
        while (!started || depth > 0)
        {
            GrubToken t = Current;
            switch (t.Kind)
            {
                case GrubTokenKind.End:
                    Report(line, "block without an end before the end of the file");
                    _atEof = true;
                    return;
                case GrubTokenKind.OpenBrace: depth++; commandStart = true; break;
                case GrubTokenKind.CloseBrace: depth--; commandStart = true; break;
                case GrubTokenKind.Newline or GrubTokenKind.Semicolon: commandStart = true; break;
                default:
                    if (commandStart && t.Plain is "if" or "while" or "until" or "for") depth++;
                    else if (commandStart && t.Plain is "fi" or "done") depth--;
                    commandStart = t.Plain is "then" or "else" or "do" or "elif";
                    break;
            }
            started |= depth > 0;
            _pos++;
        }
    }
}

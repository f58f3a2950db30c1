using System.Collections.Immutable;
using System.Text;
using Rekernel.Discovery.Bls;

namespace Rekernel.Discovery.Grub;

/// <summary>
/// Runs the parts of a GRUB script that decide the menu: variables, conditions, functions, <c>load_env</c>,
/// <c>source</c>/<c>configfile</c>, and the menu commands. Entry bodies are run as if the entry were chosen,
/// on a copy of the variables, to learn their <c>linux</c> and <c>initrd</c> lines. Work is bounded by a step
/// budget, call and include depth, and a file size limit.
/// </summary>
internal sealed partial class GrubInterpreter
{
    /// <summary>Generated configurations are a few kilobytes; anything past this is not a boot menu.</summary>
    public const int MaxFileBytes = 1 << 20;
    private const int MaxIncludeDepth = 8;
    private const int MaxCallDepth = 16;
    // Generated configurations run a few hundred commands. A runaway statement (a function calling itself twice
    // per level) is stopped after MaxStatementSteps and the script goes on with the next one; the whole script
    // stops after MaxSteps, so the worst case stays within a fraction of a second.
    private const int MaxSteps = 100_000;
    private const int MaxStatementSteps = 20_000;
    // A file that sources itself several times would otherwise be read (and lexed) thousands of times.
    private const long MaxTotalBytes = 8L << 20;
    // Doubling a variable (a="$a$a") forty times would otherwise need terabytes; no kernel command line is longer than a few KiB.
    internal const int MaxWordLength = 8 * 1024;
    private const int MaxFileLookups = 5_000;
    // Real menus hold a few dozen entries (every installed kernel, twice); thousands come only from a runaway script.
    // The limit applies to entries and to submenus separately (submenus nest, so they bound the menu's depth too).
    private const int MaxMenuItems = 1_000;
    private const int MaxInitrds = 64;
    // Commands times word length: recursive functions expanding long words stay within a fraction of a second.
    private const long MaxExpandedChars = 32L << 20;

    private readonly BootRoot _root;
    private readonly GrubEnv _env;
    private readonly BlsScan _bls;
    private readonly GrubSearch _search;
    private readonly GrubFlavor _flavor;
    private readonly List<Diagnostic> _diagnostics;
    private readonly Dictionary<string, GrubFunctionNode> _functions = new(StringComparer.Ordinal);
    private GrubVariables _vars = new();
    // The word being built by Expand, reused (it was a new StringBuilder per word with a variable in it).
    private readonly StringBuilder _word = new();
    private List<PendingMenuItem> _menu = [];
    private string _titlePath = "";
    private string _file;
    private EntryLoad? _entry;
    private int _steps;
    private int _statementSteps;
    private int _runDepth;
    private bool _statementStopped;
    private long _bytesRead;
    private long _expandedChars;
    private int _fileLookups;
    private int _menuEntries;
    private int _submenus;
    private int _includeDepth;
    private int _callDepth;
    private bool _replaced;
    // Loops being run, and a pending break (positive: loops to leave) or continue (negative).
    private int _activeLoops;
    private int _jump;

    private GrubInterpreter(BootRoot root, GrubEnv env, BlsScan bls, List<Diagnostic> diagnostics, string file, GrubFlavor flavor)
    {
        _flavor = flavor;
        _root = root;
        _env = env;
        _bls = bls;
        _search = new GrubSearch(root);
        _diagnostics = diagnostics;
        _file = file;
    }

    /// <summary>The file whose menu GRUB ends up showing (a <c>configfile</c> replaces the menu).</summary>
    public string MenuFile { get; private set; } = "";

    public ImmutableArray<GrubMenuItem> Menu { get; private set; } = [];

    public string? Variable(string name) => _vars.GetValueOrDefault(name);

    public static GrubInterpreter Run(BootRoot root, GrubEnv env, BlsScan bls, string configPath, GrubFlavor flavor, List<Diagnostic> diagnostics)
    {
        var interpreter = new GrubInterpreter(root, env, bls, diagnostics, configPath, flavor);
        interpreter.SetInitialVariables(configPath);
        interpreter.MenuFile = configPath;
        interpreter.Include(configPath, line: 0);
        interpreter.Menu = [.. interpreter.Materialize(interpreter._menu)];
        return interpreter;
    }

    private void SetInitialVariables(string configPath)
    {
        string dir = Path.GetDirectoryName(configPath) ?? "/";
        bool efi = configPath.StartsWith("/boot/efi/", StringComparison.Ordinal) || configPath.StartsWith("/efi/", StringComparison.Ordinal)
            || _root.DirectoryExists("/sys/firmware/efi");
        _vars["prefix"] = dir;
        _vars["config_directory"] = dir;
        _vars["config_file"] = configPath;
        _vars["grub_platform"] = efi ? "efi" : "pc";
        _vars["grub_cpu"] = efi ? "x86_64" : "i386";
        foreach (string feature in (string[])["feature_menuentry_id", "feature_platform_search_hint", "feature_default_font_path",
                     "feature_all_video_module", "feature_timeout_style", "feature_chainloader_bpb", "feature_ntldr", "feature_200_final"])
        {
            _vars[feature] = "y";
        }
    }

    /// <summary>Reads, parses and runs a file in the current context; false when it cannot be read.</summary>
    private bool Include(string path, int line)
    {
        if (_includeDepth >= MaxIncludeDepth)
        {
            Report(line, $"{path} is included more than {MaxIncludeDepth} levels deep; not read");
            return false;
        }
        if (ReadLimited(path) is not { } text) return false;
        string outer = _file;
        _file = path;
        _includeDepth++;
        try
        {
            var tokens = GrubLexer.Tokens(text, path, _diagnostics, _flavor);
            Run(GrubParser.Program(tokens, path, _diagnostics));
        }
        finally
        {
            _includeDepth--;
            _file = outer;
        }
        return true;
    }

    private string? ReadLimited(string path)
    {
        if (_root.Resolve(path) is not { } host) return null;
        if (_bytesRead >= MaxTotalBytes)
        {
            Report(0, $"more than {MaxTotalBytes / (1 << 20)} MiB of configuration read; {path} is not read");
            return null;
        }
        try
        {
            using FileStream? stream = Native.FileSyscalls.OpenRegularStream(host);
            if (stream is null) return null;
            var buffer = new byte[Math.Min(stream.Length, MaxFileBytes)];
            _bytesRead += buffer.Length;
            stream.ReadExactly(buffer);
            string text = Encoding.UTF8.GetString(buffer);
            if (stream.Length <= MaxFileBytes) return text;
            int cut = text.LastIndexOf('\n') + 1;
            text = text[..cut];
            _diagnostics.Add(new Diagnostic(path, text.Count(c => c == '\n') + 1,
                $"the file is larger than {MaxFileBytes / (1 << 20)} MiB; the rest of it is ignored"));
            return text;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private int Run(ImmutableArray<GrubNode> nodes)
    {
        int status = 0;
        _runDepth++;
        try
        {
            foreach (GrubNode node in nodes)
            {
                if (_runDepth == 1)
                {
                    _statementSteps = 0;
                    _statementStopped = false;
                }
                if (_replaced || _jump != 0 || !Step(node.Line)) break;
                status = node switch
                {
                    GrubCommandNode c => Command(c),
                    GrubIfNode i => If(i),
                    GrubForNode f => For(f),
                    GrubLoopNode l => Loop(l),
                    GrubFunctionNode f => Define(f),
                    GrubMenuNode m => MenuCommand(m),
                    _ => 0,
                };
            }
        }
        finally
        {
            _runDepth--;
        }
        return status;
    }

    private bool Step(int line)
    {
        if (_expandedChars > MaxExpandedChars && _steps <= MaxSteps)
        {
            _steps = MaxSteps + 1;
            Report(line, $"more than {MaxExpandedChars >> 20} MiB of words expanded; the rest of the script is not run");
            return false;
        }
        if (_statementStopped) return false;
        if (_runDepth > 1 && ++_statementSteps > MaxStatementSteps)
        {
            _statementStopped = true;
            Report(line, $"a statement ran more than {MaxStatementSteps} commands (runaway recursion?); it is stopped and the script goes on");
            return false;
        }
        if (++_steps <= MaxSteps) return true;
        if (_steps == MaxSteps + 1) Report(line, $"more than {MaxSteps} commands run; the rest of the script is not run");
        return false;
    }

    private int If(GrubIfNode node)
    {
        foreach (GrubIfBranch branch in node.Branches)
        {
            if (Run(branch.Condition) == 0) return Run(branch.Body);
        }
        return Run(node.Else);
    }

    private int For(GrubForNode node)
    {
        List<string> values = node.HasIn ? Arguments(node.Words) : PositionalParameters();
        int status = 0;
        _activeLoops++;
        try
        {
            foreach (string value in values)
            {
                if (!Step(node.Line)) break;
                _vars[node.Variable] = value;
                status = Run(node.Body);
                if (EndsLoop()) break;
            }
        }
        finally { _activeLoops--; }
        return status;
    }

    private int Loop(GrubLoopNode node)
    {
        int status = 0;
        _activeLoops++;
        try
        {
            while (Step(node.Line) && (Run(node.Condition) == 0) != node.Until && _jump == 0)
            {
                status = Run(node.Body);
                if (EndsLoop()) break;
            }
        }
        finally { _activeLoops--; }
        return status;
    }

    /// <summary>
    /// After a loop body: whether a <c>break</c> ends this loop (a <c>break N</c> or <c>continue N</c> with N above
    /// one passes on to the enclosing loop); a <c>continue</c> for this loop is consumed.
    /// </summary>
    private bool EndsLoop()
    {
        if (_jump == 0) return false;
        bool isBreak = _jump > 0;
        int levels = Math.Abs(_jump) - 1;
        _jump = levels == 0 ? 0 : isBreak ? levels : -levels;
        return isBreak || levels > 0;
    }

    private List<string> PositionalParameters()
    {
        int count = int.TryParse(Value("#"), out int n) ? n : 0;
        var values = new List<string>(count);
        for (int i = 1; i <= count; i++) values.Add(Value(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return values;
    }

    private int Define(GrubFunctionNode node)
    {
        _functions[node.Name] = node;
        return 0;
    }

    private void Report(int line, string message) => Report(_file, line, message);

    private void Report(string file, int line, string message)
    {
        var diagnostic = new Diagnostic(file, line, message);
        if (!_diagnostics.Contains(diagnostic)) _diagnostics.Add(diagnostic);
    }

    /// <summary>The fields a word expands to: quoted variables stay whole, unquoted ones split on blanks.</summary>
    private List<string> Expand(GrubToken word)
    {
        var fields = new List<string>();
        Expand(word, fields);
        return fields;
    }

    /// <summary><see cref="Expand(GrubToken)"/> added to <paramref name="into"/> (a list per word was most of a command's garbage).</summary>
    private void Expand(GrubToken word, List<string> into)
    {
        // Most words are one literal or quoted variable: one field as it stands, without building it.
        if (word.Pieces is [var only] && (!only.IsVariable || only.IsQuoted)
            && (only.IsVariable ? Value(only.Text) : only.Text) is { Length: <= MaxWordLength } whole)
        {
            _expandedChars += whole.Length;
            into.Add(whole);
            return;
        }
        int first = into.Count;
        StringBuilder current = _word.Clear();
        bool exists = false;
        long total = 0;
        bool tooLong = false;
        foreach (GrubWordPiece piece in word.Pieces)
        {
            if (total + current.Length > MaxWordLength) { tooLong = true; break; }
            if (!piece.IsVariable || piece.IsQuoted)
            {
                current.Append(piece.IsVariable ? Value(piece.Text) : piece.Text);
                exists = true;
                continue;
            }
            string value = Value(piece.Text);
            bool firstPart = true;
            foreach (Range range in value.AsSpan().SplitAny(" \t\n"))
            {
                if (!firstPart)
                {
                    if (exists) { into.Add(current.ToString()); total += current.Length; }
                    current.Clear();
                    exists = false;
                }
                firstPart = false;
                ReadOnlySpan<char> part = value.AsSpan(range);
                current.Append(part);
                exists |= part.Length > 0;
            }
        }
        if (exists) into.Add(current.ToString());
        _expandedChars += total + current.Length;
        if (tooLong || total + current.Length > MaxWordLength)
        {
            Report(word.Line, $"a word expands to more than {MaxWordLength / 1024} KiB; it is cut short");
            Cut(into, first);
        }
    }

    // Cuts the fields from first on to MaxWordLength characters in all.
    private static void Cut(List<string> fields, int first)
    {
        long total = 0;
        for (int i = first; i < fields.Count; i++)
        {
            if (total + fields[i].Length > MaxWordLength)
            {
                fields[i] = fields[i][..(int)(MaxWordLength - total)];
                fields.RemoveRange(i + 1, fields.Count - i - 1);
                return;
            }
            total += fields[i].Length;
        }
    }

    private string Value(string name) => _vars.GetValueOrDefault(name) ?? "";

    private List<string> Arguments(ImmutableArray<GrubToken> words)
    {
        var args = new List<string>(words.Length);
        foreach (GrubToken word in words) Expand(word, args);
        return args;
    }
}

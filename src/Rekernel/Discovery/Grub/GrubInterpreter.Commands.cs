using System.Collections.Immutable;
using Rekernel.Discovery.Bls;

namespace Rekernel.Discovery.Grub;

internal sealed partial class GrubInterpreter
{
    private int Command(GrubCommandNode node)
    {
        if (Assignment(node.Words[0]) is { } assignment && node.Words.Length == 1)
        {
            _vars[assignment.Name] = assignment.Value;
            return 0;
        }
        List<string> args = Arguments(node.Words);
        if (args.Count == 0) return 0;
        switch (args[0])
        {
            case "set": return Set(args);
            case "unset": foreach (string name in args.Skip(1)) _vars.Remove(name); return 0;
            case "true" or "export" or "save_env": return 0;
            case "false": return 1;
            case "[": return args[^1] == "]" ? Test(args[1..^1]) : 1;
            case "test": return Test(args[1..]);
            case "load_env": return LoadEnv(args, node.Line);
            case "search" or "search.fs_uuid" or "search.fs_label" or "search.file": return Search(args, node.Line);
            case "blscfg" or "bls_import": return Blscfg();
            case "source" or ".": return args.Count > 1 ? Source(args[1], node.Line) : 1;
            // In a chosen entry, configfile shows another menu and loads no kernel.
            case "configfile": return _entry is not null ? 0 : args.Count > 1 ? ConfigFile(args[1], node.Line) : 1;
            case "linux" or "linux16" or "linuxefi": return Linux(args);
            case "initrd" or "initrd16" or "initrdefi": return Initrd(args);
            case "multiboot" or "multiboot2": return Multiboot(args);
            case "break" or "continue": return Jump(args);
            case "eval": return Eval(args, node.Line);
            case "extract_entries_source" or "extract_entries_configfile" or "extract_legacy_entries_source" or "extract_legacy_entries_configfile"
                or "legacy_source" or "legacy_configfile" or "syslinux_source" or "syslinux_configfile":
                Report(node.Line, $"'{args[0]}' reads a menu in another format, which rekernel does not interpret; the entries it adds are not listed");
                return 1;
            default: return _functions.TryGetValue(args[0], out GrubFunctionNode? f) ? Call(f, args, node.Line) : 0;
        }
    }

    /// <summary><c>name=value</c> written without <c>set</c>: the name must be a plain unquoted prefix.</summary>
    private (string Name, string Value)? Assignment(GrubToken word)
    {
        if (word.Pieces.IsEmpty || word.Pieces[0] is not { IsVariable: false, IsQuoted: false } first) return null;
        int eq = first.Text.IndexOf('=');
        if (eq <= 0 || !IsName(first.Text.AsSpan(0, eq))) return null;
        var rest = word.Pieces.RemoveAt(0).Insert(0, first with { Text = first.Text[(eq + 1)..] });
        return (first.Text[..eq], string.Join(' ', Expand(word with { Pieces = rest })));
    }

    private static bool IsName(ReadOnlySpan<char> s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && !s.ContainsAnyExcept(NameChars);

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private int Set(List<string> args)
    {
        foreach (string arg in args.Skip(1))
        {
            int eq = arg.IndexOf('=');
            if (eq > 0) _vars[arg[..eq]] = arg[(eq + 1)..];
        }
        return 0;
    }

    // load_env [-f FILE] [--skip-sig] [NAME...]: without -f GRUB reads $prefix/grubenv, which is the block given.
    private int LoadEnv(List<string> args, int line)
    {
        GrubEnv env = _env;
        var names = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            if (args[i] is "-f" or "--file" && i + 1 < args.Count)
            {
                if (!MayLookUp(line)) return 1;
                string file = GrubPaths.Existing(_root, args[++i]) ?? GrubPaths.WithoutDevice(args[i]);
                if (_root.ReadText(file) is not { } text)
                {
                    Report(line, $"load_env: {file} cannot be read");
                    return 1;
                }
                if ((_bytesRead += text.Length) > MaxTotalBytes)
                {
                    Report(line, $"more than {MaxTotalBytes / (1 << 20)} MiB of configuration read; load_env -f {file} is ignored");
                    return 1;
                }
                env = GrubEnv.Parse(text, file);
            }
            else if (!args[i].StartsWith('-'))
            {
                names.Add(args[i]);
            }
        }
        foreach ((string key, string value) in env.Values)
        {
            // A one-shot for the next boot only (grub-reboot, or rekernel's own return path): the default is what
            // GRUB boots every other time, so next_entry never steers it; GrubMenu.NextEntry shows it instead.
            if (key == GrubEnv.NextEntry) continue;
            if (names.Count == 0 || names.Contains(key)) _vars[key] = value;
        }
        return 0;
    }

    /// <summary>
    /// <c>search [--file|--label|--fs-uuid] [--set[=VAR]] NAME</c> and <c>search.fs_uuid / search.fs_label / search.file
    /// NAME [VAR]</c> (grub-core/commands/search_wrap.c, search.c): VAR (<c>root</c> for a bare <c>--set</c>) is set
    /// only when the search finds something, so a failed search leaves it as it was. The device GRUB would name
    /// cannot be known offline; the variable gets the name searched for.
    /// </summary>
    private int Search(List<string> args, int line)
    {
        string kind = args[0] switch { "search.fs_uuid" => "--fs-uuid", "search.fs_label" => "--label", _ => "--file" };
        string? variable = null;
        string? target = null;
        if (args[0] != "search")
        {
            target = args.Count > 1 ? args[1] : null;
            variable = args.Count > 2 ? args[2] : null;
        }
        else
        {
            for (int i = 1; i < args.Count; i++)
            {
                string a = args[i];
                if (a.StartsWith("--set=", StringComparison.Ordinal)) variable = a["--set=".Length..];
                else if (a is "--set" or "-s" && i + 1 < args.Count - 1 && !args[i + 1].StartsWith('-')) variable = args[++i];
                else if (a is "--set" or "-s") variable = "root";
                else if (a is "--fs-uuid" or "-u") kind = "--fs-uuid";
                else if (a is "--label" or "-l") kind = "--label";
                else if (a is "--file" or "-f") kind = "--file";
                else if (a.StartsWith("--hint", StringComparison.Ordinal) && !a.Contains('=')) i++;
                else if (!a.StartsWith('-')) target = a;
            }
        }
        if (target is null) return 1;
        SearchResult result = kind switch
        {
            "--fs-uuid" => _search.FsUuid(target),
            "--label" => _search.Label(target),
            _ => MayLookUp(line) ? _search.File(target) : SearchResult.Unknown,
        };
        if (result == SearchResult.Unknown)
        {
            string where = kind == "--fs-uuid" ? $"no UUID= line in /etc/fstab, no {GrubSearch.UuidLinks}" : kind == "--label" ? $"no LABEL= line in /etc/fstab, no {GrubSearch.LabelLinks}" : "too many file look-ups";
            Report(line, $"search {kind} {target}: the tree does not show whether the machine has it ({where}); taken as found");
        }
        if (result == SearchResult.NotFound) return 1;
        if (variable is not null) _vars[variable] = target;
        return 0;
    }

    /// <summary>
    /// blscfg adds a menu entry per BLS file, its <c>$var</c>s expanded from the variables as they stand now:
    /// RHEL 8's grub.cfg sets <c>kernelopts</c> itself, before <c>blscfg</c>, when grubenv lacks it.
    /// </summary>
    private int Blscfg()
    {
        if (_entry is not null) return 0;
        var fileOf = new Dictionary<BootEntry, BlsEntry>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _bls.Entries.Length; i++) fileOf[_bls.Entries[i]] = _bls.Files[i];
        foreach (BootEntry bls in GrubBlsOrder.Sort(_bls.Entries))
        {
            BlsEntry file = fileOf[bls];
            BootEntry entry = BlsReader.Expand(bls, file, _root, _vars.GetValueOrDefault, options => LinuxArguments(options, file.Path), _diagnostics);
            _menu.Add(new PendingMenuItem { Title = entry.Title, Id = entry.Id, Path = entry.Title, File = _file, Entry = entry });
        }
        return 0;
    }

    /// <summary>The command line GRUB makes of text pasted after a <c>linux</c> command, as blscfg pastes a BLS entry's options.</summary>
    private string LinuxArguments(string text, string file)
    {
        List<GrubToken> tokens = GrubLexer.Tokens(text, file, _diagnostics, _flavor);
        return GrubCmdline.Join(Arguments([.. tokens.TakeWhile(t => t.Kind == GrubTokenKind.Word)]), _flavor);
    }

    private int Source(string grubPath, int line)
    {
        string? path = MayLookUp(line) ? GrubPaths.Existing(_root, grubPath) : null;
        if (path is null)
        {
            Report(line, $"source: {grubPath} does not exist");
            return 1;
        }
        return Include(path, line) ? 0 : 1;
    }

    // configfile shows the other file's menu instead of this one; what follows in this file is not reached.
    private int ConfigFile(string grubPath, int line)
    {
        string? path = MayLookUp(line) ? GrubPaths.Existing(_root, grubPath) : null;
        if (path is null)
        {
            Report(line, $"configfile: {grubPath} does not exist");
            return 1;
        }
        _menu = [];
        string prefix = Path.GetDirectoryName(path) ?? "/";
        _vars["prefix"] = prefix;
        _vars["config_directory"] = prefix;
        _vars["config_file"] = path;
        MenuFile = path;
        bool read = Include(path, line);
        _replaced = true;
        return read ? 0 : 1;
    }

    private int Linux(List<string> args)
    {
        if (_entry is null || args.Count < 2) return 0;
        _entry.Kernel = InRoot(args[1]);
        _entry.Cmdline = GrubCmdline.Join(args.Skip(2), _flavor);
        _entry.LoadProblem = LoadProblem(args[1], _entry.Kernel);
        return _entry.LoadProblem is null ? 0 : 1;
    }

    /// <summary>Why GRUB's file open (grub_file_get_device_name, then the file system) fails on a kernel path, or null.</summary>
    private string? LoadProblem(string grubPath, string pathInRoot)
    {
        if (grubPath.StartsWith('('))
        {
            int close = grubPath.IndexOf(')');
            if (close < 0) return $"its kernel path '{grubPath}' opens a device name with '(' and never closes it";
            if (close == 1) return $"its kernel path '{grubPath}' names an empty device";
            if (close == grubPath.Length - 1) return $"its kernel path '{grubPath}' names a device but no file on it";
        }
        if (MayLookUp(0) && _root.DirectoryExists(pathInRoot)) return $"its kernel {pathInRoot} is a directory";
        return null;
    }

    // break [N] / continue [N] (grub_script_break): N loops, at most as many as are running.
    private int Jump(List<string> args)
    {
        int count = args.Count < 2 ? 1 : int.TryParse(args[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 0;
        if (count == 0) return 1;
        count = Math.Min(count, _activeLoops);
        _jump = args[0] == "break" ? count : -count;
        return 0;
    }

    // eval runs its arguments, joined by spaces, as script text in the current context.
    private int Eval(List<string> args, int line)
    {
        string text = string.Join(' ', args.Skip(1));
        if ((_bytesRead += text.Length) > MaxTotalBytes)
        {
            Report(line, $"more than {MaxTotalBytes / (1 << 20)} MiB of configuration read; eval is ignored");
            return 1;
        }
        return Run(GrubParser.Program(GrubLexer.Tokens(text, _file, _diagnostics, _flavor), _file, _diagnostics));
    }

    private int Multiboot(List<string> args)
    {
        if (_entry is null || args.Count < 2) return 0;
        _entry.Multiboot = $"{args[0]} {args[1]}";
        return 0;
    }

    private int Initrd(List<string> args)
    {
        if (_entry is null) return 0;
        // GRUB configurations name one to three (microcode, main, a tuned one); hundreds are a runaway script.
        _entry.Initrds = [.. args.Skip(1).Take(MaxInitrds).Select(InRoot)];
        return 0;
    }

    private int Call(GrubFunctionNode function, List<string> args, int line)
    {
        if (_callDepth >= MaxCallDepth)
        {
            Report(line, $"function {function.Name} calls nest deeper than {MaxCallDepth}; not called");
            return 1;
        }
        var saved = new Dictionary<string, string?>();
        void Put(string name, string? value)
        {
            if (!saved.ContainsKey(name)) saved[name] = _vars.GetValueOrDefault(name);
            if (value is null) _vars.Remove(name); else _vars[name] = value;
        }
        for (int i = 1; i < Math.Max(args.Count, 10); i++) Put(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i < args.Count ? args[i] : null);
        Put("#", (args.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        _callDepth++;
        try { return Run(function.Body); }
        finally
        {
            _callDepth--;
            foreach ((string name, string? value) in saved)
            {
                if (value is null) _vars.Remove(name); else _vars[name] = value;
            }
        }
    }

    // Past the look-up budget a path is taken as written (without its device), which is still inside the root.
    private string InRoot(string grubPath) => MayLookUp(0) ? GrubPaths.InRoot(_root, grubPath, _file) : GrubPaths.WithoutDevice(grubPath);

    /// <summary>
    /// Whether another path may be looked up on disk: each costs a few system calls, and a script that names a
    /// thousand initrds in a loop would otherwise take seconds.
    /// </summary>
    private bool MayLookUp(int line)
    {
        if (++_fileLookups <= MaxFileLookups) return true;
        if (_fileLookups == MaxFileLookups + 1) Report(line, $"more than {MaxFileLookups} file look-ups; later paths are not checked on disk");
        return false;
    }
}

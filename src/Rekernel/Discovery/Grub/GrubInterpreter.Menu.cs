using System.Collections.Immutable;
using System.Globalization;

namespace Rekernel.Discovery.Grub;

internal sealed partial class GrubInterpreter
{
    private int MenuCommand(GrubMenuNode node)
    {
        if (_entry is not null) return 0;
        if (++_menuItems > MaxMenuItems)
        {
            if (_menuItems == MaxMenuItems + 1) Report(node.Line, $"more than {MaxMenuItems} menu entries; the rest are skipped");
            return 1;
        }
        List<string> args = Arguments(node.Arguments);
        string? title = null;
        string? id = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--id": if (i + 1 < args.Count) id = args[++i]; break;
                case "--class" or "--users" or "--hotkey" or "--source": i++; break;
                default:
                    if (args[i].StartsWith("--id=", StringComparison.Ordinal)) id = args[i]["--id=".Length..];
                    else if (!args[i].StartsWith("--", StringComparison.Ordinal)) title ??= args[i];
                    break;
            }
        }
        if (title is null)
        {
            Report(node.Line, $"{(node.IsSubmenu ? "submenu" : "menuentry")} without a title is skipped");
            return 1;
        }
        string path = _titlePath.Length == 0 ? title : _titlePath + ">" + title;
        _menu.Add(node.IsSubmenu ? Submenu(node, title, id, path) : Entry(node, title, id, path));
        return 0;
    }

    private GrubMenuItem Submenu(GrubMenuNode node, string title, string? id, string path)
    {
        var outerMenu = _menu;
        var outerVars = _vars;
        string outerPath = _titlePath;
        _menu = [];
        _vars = new Dictionary<string, string>(outerVars, StringComparer.Ordinal);
        _titlePath = path;
        try
        {
            Run(node.Body);
            return new GrubMenuItem { Title = title, Id = id, IsSubmenu = true, Children = [.. _menu] };
        }
        finally
        {
            _menu = outerMenu;
            _vars = outerVars;
            _titlePath = outerPath;
        }
    }

    // The body runs as if the entry were chosen, on a copy of the variables so nothing leaks into the menu script.
    private GrubMenuItem Entry(GrubMenuNode node, string title, string? id, string path)
    {
        var outerVars = _vars;
        _vars = new Dictionary<string, string>(outerVars, StringComparer.Ordinal);
        _vars["chosen"] = title;
        var load = new EntryLoad();
        _entry = load;
        try { Run(node.Body); }
        finally
        {
            _entry = null;
            _vars = outerVars;
        }
        if (load.Kernel is null && load.Multiboot is { } multiboot)
            Report(node.Line, $"menuentry '{title}' boots '{multiboot}' (a hypervisor such as Xen, or another multiboot kernel); kexec can start only a Linux kernel, so rekernel skips it");
        if (load.Kernel is not null && load.LoadProblem is { } problem)
            Report(node.Line, $"menuentry '{title}' cannot be loaded by GRUB: {problem}; it is listed but never taken as the default or an upgrade target");
        return new GrubMenuItem { Title = title, Id = id, Entry = BootEntry(load, title, id ?? path, node.Line) };
    }

    private BootEntry? BootEntry(EntryLoad load, string title, string id, int line) => load.Kernel is not { } kernel ? null : new BootEntry
    {
        Id = id,
        Title = title,
        Version = KernelRelease.Of(_root, kernel),
        Kernel = kernel,
        Initrds = [.. load.Initrds],
        Cmdline = load.Cmdline,
        Source = BootEntrySource.Grub,
        Origin = string.Create(CultureInfo.InvariantCulture, $"{_file}:{line}"),
        LoadProblem = load.LoadProblem,
    };
}

using System.Collections.Immutable;
using System.Globalization;

namespace Rekernel.Discovery.Grub;

internal sealed partial class GrubInterpreter
{
    private int MenuCommand(GrubMenuNode node)
    {
        if (_entry is not null) return 0;
        // Entries and submenus have budgets of their own: 1,000 kernels in ten submenus is a menu GRUB shows whole.
        int count = node.IsSubmenu ? ++_submenus : ++_menuEntries;
        if (count > MaxMenuItems)
        {
            if (count == MaxMenuItems + 1) Report(node.Line, $"more than {MaxMenuItems} {(node.IsSubmenu ? "submenus" : "menu entries")}; the rest are skipped");
            return 1;
        }
        List<string> args = Arguments(node.Arguments);
        string? id = null;
        var parameters = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--id": if (i + 1 < args.Count) id = args[++i]; break;
                case "--class" or "--users" or "--hotkey" or "--source": i++; break;
                default:
                    if (args[i].StartsWith("--id=", StringComparison.Ordinal)) id = args[i]["--id=".Length..];
                    else if (!args[i].StartsWith("--", StringComparison.Ordinal)) parameters.Add(args[i]);
                    break;
            }
        }
        if (parameters.Count == 0)
        {
            Report(node.Line, $"{(node.IsSubmenu ? "submenu" : "menuentry")} without a title is skipped");
            return 1;
        }
        string title = parameters[0];
        _menu.Add(new PendingMenuItem
        {
            Title = title,
            Id = id,
            Path = _titlePath.Length == 0 ? title : _titlePath + ">" + title,
            Node = node,
            File = _file,
            Parameters = parameters,
        });
        return 0;
    }

    /// <summary>
    /// The menu GRUB shows once the script has run: each item's block runs now, as when it is chosen, with the
    /// variables the script left (a menu made in a loop sees the loop variable's last value, as GRUB does).
    /// </summary>
    private List<GrubMenuItem> Materialize(List<PendingMenuItem> items)
    {
        _replaced = false;
        var menu = new List<GrubMenuItem>(items.Count);
        foreach (PendingMenuItem item in items)
        {
            if (item.Node is not { } node) menu.Add(new GrubMenuItem { Title = item.Title, Id = item.Id, Entry = item.Entry });
            else menu.Add(node.IsSubmenu ? Submenu(item, node) : Entry(item, node));
        }
        return menu;
    }

    // Entering a submenu runs its block in a new context; its entries then run in that context.
    private GrubMenuItem Submenu(PendingMenuItem item, GrubMenuNode node) =>
        InItemContext(item, () =>
        {
            var outerMenu = _menu;
            string outerPath = _titlePath;
            _menu = [];
            _titlePath = item.Path;
            try
            {
                Run(node.Body);
                return new GrubMenuItem { Title = item.Title, Id = item.Id, IsSubmenu = true, Children = [.. Materialize(_menu)] };
            }
            finally
            {
                _menu = outerMenu;
                _titlePath = outerPath;
            }
        });

    private GrubMenuItem Entry(PendingMenuItem item, GrubMenuNode node)
    {
        var load = new EntryLoad();
        InItemContext(item, () =>
        {
            _vars["chosen"] = item.Title;
            _entry = load;
            try { Run(node.Body); }
            finally { _entry = null; }
            return 0;
        });
        if (load.Kernel is null && load.Multiboot is { } multiboot)
            Report(item.File, node.Line, $"menuentry '{item.Title}' boots '{multiboot}' (a hypervisor such as Xen, or another multiboot kernel); kexec can start only a Linux kernel, so rekernel skips it");
        if (load.Kernel is not null && load.LoadProblem is { } problem)
            Report(item.File, node.Line, $"menuentry '{item.Title}' cannot be loaded by GRUB: {problem}; it is listed but never taken as the default or an upgrade target");
        return new GrubMenuItem { Title = item.Title, Id = item.Id, Entry = BootEntry(load, item, node.Line) };
    }

    /// <summary>Runs <paramref name="body"/> on a copy of the variables, with the item's positional parameters, in its file, outside any loop.</summary>
    private T InItemContext<T>(PendingMenuItem item, Func<T> body)
    {
        var outerVars = _vars;
        string outerFile = _file;
        (int outerLoops, int outerJump) = (_activeLoops, _jump);
        _vars = new GrubVariables(outerVars);
        for (int i = 0; i < item.Parameters.Count; i++) _vars[(i + 1).ToString(CultureInfo.InvariantCulture)] = item.Parameters[i];
        _vars["#"] = item.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        _file = item.File;
        (_activeLoops, _jump) = (0, 0);
        try { return body(); }
        finally
        {
            _vars = outerVars;
            _file = outerFile;
            (_activeLoops, _jump) = (outerLoops, outerJump);
        }
    }

    private BootEntry? BootEntry(EntryLoad load, PendingMenuItem item, int line) => load.Kernel is not { } kernel ? null : new BootEntry
    {
        Id = item.Id ?? item.Path,
        Title = item.Title,
        Version = KernelRelease.Of(_root, kernel),
        Kernel = kernel,
        Initrds = [.. load.Initrds],
        Cmdline = load.Cmdline,
        Source = BootEntrySource.Grub,
        Origin = string.Create(CultureInfo.InvariantCulture, $"{item.File}:{line}"),
        LoadProblem = load.LoadProblem,
    };
}

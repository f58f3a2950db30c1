using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// What an operation reports while it runs, before it has a result: the library prints nothing, a front end
/// decides how each shows (the CLI: warnings on stderr, a status line on a terminal). Each defaults to nothing.
/// </summary>
public sealed record OperationEvents
{
    public static OperationEvents None { get; } = new();

    /// <summary>A problem in the boot configuration (file:line); the entry was skipped or read leniently.</summary>
    public Action<Diagnostic> Diagnostic { get; init; } = _ => { };

    /// <summary>Something that does not stop the operation but may make it fail or do less.</summary>
    public Action<Finding> Warning { get; init; } = _ => { };

    /// <summary>A step that may take long has started.</summary>
    public Action<string> Progress { get; init; } = _ => { };

    /// <summary>The step announced by <see cref="Progress"/> has ended.</summary>
    public Action ProgressDone { get; init; } = () => { };

    /// <summary>The plan's kernel is staged (before any switch into it starts).</summary>
    public Action<LoadPlan> Staged { get; init; } = _ => { };

    /// <summary>An immediate jump is about to happen: the last moment anything can be said, as nothing returns after it.</summary>
    public Action<SwitchRecord> Jumping { get; init; } = _ => { };
}

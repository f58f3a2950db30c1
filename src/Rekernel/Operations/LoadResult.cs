using Rekernel.Journal;

namespace Rekernel.Operations;

/// <summary>What <see cref="Load"/> planned and, unless it was a dry run, staged.</summary>
/// <param name="Staged">The journal's record of the staged kernel; null for a dry run or when this boot's id is unreadable.</param>
public sealed record LoadResult(StagePlan Plan, bool DidStage, IReadOnlyList<Finding> Warnings, StagedKernel? Staged);

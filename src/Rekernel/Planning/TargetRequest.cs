namespace Rekernel.Planning;

/// <summary>Which boot entry the user asked for: a TARGET, <c>--latest</c>, or <c>--default</c> (also when nothing is given).</summary>
public readonly record struct TargetRequest(string? Target, bool Latest, bool Default);

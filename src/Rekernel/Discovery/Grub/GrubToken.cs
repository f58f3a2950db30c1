using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary>A token with the 1-based line it starts on; words carry the pieces they were glued from.</summary>
internal readonly record struct GrubToken(GrubTokenKind Kind, int Line, ImmutableArray<GrubWordPiece> Pieces)
{
    /// <summary>The word's text when it is a single unquoted literal (how keywords are recognised), else null.</summary>
    public string? Plain =>
        Kind == GrubTokenKind.Word && Pieces.Length == 1 && !Pieces[0].IsVariable && !Pieces[0].IsQuoted ? Pieces[0].Text : null;

    public bool IsKeyword(string keyword) => Plain == keyword;
}

namespace Rekernel.Discovery.Grub;

/// <summary>
/// One piece of a word: literal text, or a variable reference (<see cref="Text"/> is then the name).
/// Quoted variables expand to one field; unquoted ones are split on blanks, as GRUB does.
/// </summary>
internal readonly record struct GrubWordPiece(string Text, bool IsVariable, bool IsQuoted);

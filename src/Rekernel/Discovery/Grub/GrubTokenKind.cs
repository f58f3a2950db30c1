namespace Rekernel.Discovery.Grub;

/// <summary>What a token of GRUB's script language is (grub-core/script/yylex.l).</summary>
internal enum GrubTokenKind
{
    Word,
    Newline,
    Semicolon,
    OpenBrace,
    CloseBrace,
    /// <summary>Text the lexer could not read (an unterminated quote); the statement holding it is dropped.</summary>
    Error,
    End,
}

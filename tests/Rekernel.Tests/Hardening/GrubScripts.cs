using System.Text;

namespace Rekernel.Tests.Hardening;

/// <summary>Random GRUB scripts built from the statements grub-mkconfig writes, nested and combined at random.</summary>
internal static class GrubScripts
{
    private static readonly string[] Words =
    [
        "$prefix", "${root}", "\"$a\"", "$a$a", "'q u o t e d'", "\"x y\"", "/vmlinuz-6.1.0-53-amd64", "/boot/vmlinuz-6.1.0-47-amd64",
        "../../../etc/passwd", "/../../outside/vmlinuz", "/../../outside/grub.cfg", "../../../../outside/grubenv", "(hd0,gpt2)/vmlinuz-6.1.0-53-amd64", "($root)/../../x", "root=/dev/vda", "ro", "quiet",
        "--class", "debian", "--id", "gnulinux-6.1", "0", "1", ">", "-1", "", "\\", "$1", "$#", "${a}", "$?",
    ];

    public static string Script(Random r) => Block(r, r.Next(1, 5), r.Next(1, 25));

    private static string Block(Random r, int depth, int statements)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < statements; i++) sb.Append(Statement(r, depth)).Append(r.Next(8) == 0 ? "; " : "\n");
        return sb.ToString();
    }

    private static string Word(Random r) => Words[r.Next(Words.Length)];

    private static string Statement(Random r, int depth)
    {
        int pick = r.Next(depth > 0 ? 16 : 10);
        return pick switch
        {
            0 => $"set {(r.Next(2) == 0 ? "a" : "default")}={Word(r)}",
            1 => $"a=\"$a{Word(r)}\"",
            2 => $"linux {Word(r)} {Word(r)} {Word(r)}",
            3 => $"initrd {Word(r)} {Word(r)}",
            4 => $"load_env {(r.Next(2) == 0 ? "-f " + Word(r) : "")}",
            5 => $"source {Word(r)}",
            6 => r.Next(2) == 0 ? "blscfg" : $"configfile {Word(r)}",
            7 => $"search --no-floppy --fs-uuid --set=root {Word(r)}",
            8 => $"[ {Word(r)} = {Word(r)} -o ! -f {Word(r)} ]",
            9 => $"f {Word(r)} {Word(r)}",
            10 => $"menuentry '{Word(r)}' {Word(r)} {{\n{Block(r, depth - 1, r.Next(0, 5))}}}",
            11 => $"submenu 'sub {r.Next(9)}' {{\n{Block(r, depth - 1, r.Next(0, 5))}}}",
            12 => $"if [ \"{Word(r)}\" {(r.Next(2) == 0 ? "=" : "-lt")} {Word(r)} ]; then\n{Block(r, depth - 1, r.Next(0, 4))}{(r.Next(2) == 0 ? "else\n" + Block(r, depth - 1, 1) : "")}fi",
            13 => $"function f {{\n{Block(r, depth - 1, r.Next(0, 4))}}}",
            14 => $"for x in a b c; do\n{Block(r, depth - 1, 1)}done",
            _ => $"{{ {Block(r, depth - 1, r.Next(0, 3))} }}",
        };
    }
}

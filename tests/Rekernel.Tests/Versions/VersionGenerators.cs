using CsCheck;

namespace Rekernel.Tests.Versions;

/// <summary>Version-like strings built from the pieces real versions are made of, so that pairs often tie.</summary>
internal static class VersionGenerators
{
    /// <summary>Every separator the ordering rules treat specially (rpm: ~ ^; dpkg: ~ - : +) and some they do not.</summary>
    public const string AllSeparators = ".-_+~^:";

    /// <summary>A version-like string of up to <paramref name="maxTokens"/> pieces using only the given separators.</summary>
    public static Gen<string> VersionLike(string separators, int maxTokens = 6) =>
        Token(separators).Array[0, maxTokens].Select(string.Concat);

    /// <summary>Two versions sharing a prefix (often all of it), the pairs where ordering rules are subtle.</summary>
    public static Gen<(string A, string B)> SimilarPair(string separators) =>
        Gen.Select(VersionLike(separators, 5), VersionLike(separators, 3), VersionLike(separators, 3), Gen.Int[0, 3])
            .Select(t => t.Item4 switch
            {
                0 => (t.Item1, t.Item1),
                1 => (t.Item1 + t.Item2, t.Item1),
                _ => (t.Item1 + t.Item2, t.Item1 + t.Item3),
            });

    private static Gen<string> Token(string separators) => Gen.Frequency(
        (4, Gen.OneOf("0", "00", "1", "01", "010", "2", "9", "10", "53", "514", "1160", "20160101", "99999999999999999999")),
        (2, Gen.Int[0, 1000].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.OneOf("a", "b", "z", "A", "Z", "rc", "el", "fc", "git", "arch", "amd", "x")),
        (4, Gen.Char[separators].Select(c => c.ToString())));
}

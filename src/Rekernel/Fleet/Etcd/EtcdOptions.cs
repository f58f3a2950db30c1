using System.Collections.Immutable;

namespace Rekernel.Fleet.Etcd;

/// <summary>How to reach etcd: its client URLs (tried in turn), TLS files, and the user for etcd's authentication.</summary>
public sealed record EtcdOptions
{
    public required ImmutableArray<Uri> Endpoints { get; init; }

    /// <summary>PEM file of the CA that signed etcd's server certificate; null trusts the system's CAs.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate and key, for etcd's <c>--client-cert-auth</c>.</summary>
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }

    public string? User { get; init; }
    public string? Password { get; init; }

    /// <summary>How long one request may take before the next endpoint is tried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The endpoints in <paramref name="text"/>, comma-separated; a bad one is a usage error naming <paramref name="source"/>.</summary>
    public static ImmutableArray<Uri> ParseEndpoints(string text, string source)
    {
        var endpoints = ImmutableArray.CreateBuilder<Uri>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                ThrowHelper.Usage($"{source}: '{part}' is not an etcd client URL; give http://HOST:PORT or https://HOST:PORT, several separated by commas.");
            endpoints.Add(uri);
        }
        if (endpoints.Count == 0) ThrowHelper.Usage($"{source} names no etcd endpoint; give http://HOST:PORT (several separated by commas).");
        return endpoints.ToImmutable();
    }
}

using System.Security.Cryptography.X509Certificates;
using Rekernel.Tests.Packaging;

namespace Rekernel.Tests.Fleet;

/// <summary>
/// An etcd that serves TLS and requires client certificates (<c>--client-cert-auth</c>), with a CA, its server
/// and client certificates, and a client certificate from another CA, all made by openssl in a temporary directory.
/// The server certificate is also a client certificate: etcd's JSON gateway dials etcd's own gRPC port with it.
/// </summary>
public sealed class TlsEtcdFixture : IDisposable
{
    private const string Script = """
        set -e
        cert() { # name, CN, CA name, extensions
          openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $1.key -out $1.csr -subj /CN=$2 2>/dev/null
          printf '%s\n' "$4" > $1.ext
          openssl x509 -req -in $1.csr -CA $3.pem -CAkey $3.key -CAcreateserial -out $1.pem -days 2 -extfile $1.ext 2>/dev/null
        }
        for ca in ca other-ca; do
          openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $ca.key -out $ca.pem -days 2 -subj /CN=$ca 2>/dev/null
        done
        cert server 127.0.0.1 ca 'subjectAltName=IP:127.0.0.1
        extendedKeyUsage=serverAuth,clientAuth'
        cert client rekernel ca 'extendedKeyUsage=clientAuth'
        cert wrong rekernel other-ca 'extendedKeyUsage=clientAuth'
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("rekernel-tls-").FullName;

    public TlsEtcdFixture()
    {
        var (exit, _, err) = Shell.Run("/bin/sh", "-c", $"cd '{_dir}' && {Script}");
        if (exit != 0) throw new InvalidOperationException($"openssl failed to make the test certificates: {err}");
        Server = new EtcdServer("tls", EtcdServer.FreePort(), EtcdServer.FreePort(), null,
            ["--cert-file", File("server.pem"), "--key-file", File("server.key"), "--trusted-ca-file", File("ca.pem"), "--client-cert-auth"])
        {
            ProbeCertificate = X509Certificate2.CreateFromPemFile(File("client.pem"), File("client.key")),
        };
        Server.Start();
    }

    public EtcdServer Server { get; }

    /// <summary>A file of the certificate directory: ca.pem, client.pem/.key, wrong.pem/.key (signed by another CA).</summary>
    public string File(string name) => Path.Join(_dir, name);

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

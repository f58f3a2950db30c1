using Microsoft.Win32.SafeHandles;

namespace Rekernel.Images;

/// <summary>A read-only, forward-only stream over a byte range of an open file (a zboot payload, a UKI section).</summary>
internal sealed class FileSpanStream(SafeFileHandle file, FileSpan span) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => span.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, span.Length - _position);
        if (want <= 0) return 0;
        int read = RandomAccess.Read(file, buffer[..want], span.Offset + _position);
        _position += read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

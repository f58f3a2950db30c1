# Helpers shared by the benchmarks (bench/load-time.sh, bench/initrd-growth.sh, bench/downtime.sh). Defines
# functions only; pad_cpio needs tests/vm/lib.sh sourced as well.

# pad_cpio MB OUT: an uncompressed newc cpio holding /pad/random.bin, MB MiB of random bytes. Random data does
# not compress, and as a cpio member the kernel really unpacks it: every byte is loaded, hashed and copied.
pad_cpio() {
    local stage="$LAB_WORK/pad-stage"
    rm -rf "$stage"; mkdir -p "$stage/pad"
    head -c "$(($1 << 20))" /dev/urandom > "$stage/pad/random.bin"
    cpio_of "$stage" > "$2"
    rm -rf "$stage"
}

# median [DECIMALS]: the median of the numbers on stdin (one per line), with DECIMALS places (default 3);
# empty input prints nothing.
median() {
    sort -n | awk -v fmt="%.${1:-3}f" '{ a[NR] = $1 } END { if (NR) printf fmt, (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# field NAME: the NAME=value fields of the lines on stdin, one value a line.
field() { grep -o "\\b$1=[0-9.]*" | cut -d= -f2; }

# clock_qemu_args CLOCK: QEMU's extra arguments for a bench clock (icount: the guest's clock counts emulated
# instructions, deterministic; real: it follows the host's).
clock_qemu_args() {
    case $1 in
        icount) echo "-icount shift=0" ;;
        real) echo "" ;;
        *) echo "bench: CLOCK is icount or real, not '$1'" >&2; return 2 ;;
    esac
}

# `--use-kexec-tools`: the staging goes through kexec-tools' `kexec -s -l` (given the descriptors rekernel
# opened and checked, as /proc/PID/fd paths), then rekernel journals and jumps as usual; the machine comes
# back on the newer kernel with the composed command line, and `verify` confirms it. The proof that kexec-tools
# staged it is its own trace: a `kexec` first in PATH records its arguments, runs the real /usr/sbin/kexec and
# records its exit code and /sys/kernel/kexec_loaded after it, on the lab disk, which survives the switch.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet lab.via=tools"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    run rekernel upgrade --latest --now --dry-run --use-kexec-tools
    mkdir -p /run/lab-bin
    printf '%s\n' '#!/bin/sh' \
        'echo "argv $*" >> /mnt/lab/harness/kexec-trace' \
        '/usr/sbin/kexec "$@"' \
        'rc=$?' \
        'echo "rc $rc kexec_loaded $(cat /sys/kernel/kexec_loaded)" >> /mnt/lab/harness/kexec-trace' \
        'sync' \
        'exit $rc' > /run/lab-bin/kexec
    chmod 755 /run/lab-bin/kexec
    export PATH="/run/lab-bin:$PATH"
    switch rekernel upgrade --latest --now --yes --use-kexec-tools --append lab.staged=kexec-tools
}

guest_phase2() {
    run cat /mnt/lab/harness/kexec-trace
    run rekernel verify
}

check() {
    expect_phase 1 "$KA"
    expect_rc "rekernel upgrade --latest --now --dry-run --use-kexec-tools" 0
    expect_output "rekernel upgrade --latest --now --dry-run --use-kexec-tools" "kexec -s -l /boot/vmlinuz-$KB"
    # kexec-tools was called to unload, then to load rekernel's descriptors with the composed command line, and
    # that call staged the kernel (kexec_loaded 0 -> 1).
    expect_rc "cat /mnt/lab/harness/kexec-trace" 0
    local trace
    trace=$(output_of "cat /mnt/lab/harness/kexec-trace" | tr '\n' '|')
    expect_true "kexec-tools' trace is not an unload and a load that staged the kernel: $trace" grep -qxE \
        'argv -u[|]rc 0 kexec_loaded 0[|]argv -s -l /proc/[0-9]+/fd/[0-9]+ --initrd=/proc/[0-9]+/fd/[0-9]+ --command-line=console=ttyS0 quiet lab\.via=tools no_timer_check lab\.staged=kexec-tools panic=10 rekernel\.switch=[0-9a-f]{12}[|]rc 0 kexec_loaded 1[|]' <<<"$trace"
    expect_phase 2 "$KB"
    expect_cmdline_has 2 lab.staged=kexec-tools
    expect_cmdline_has 2 lab.via=tools
    expect_cmdline_has 2 panic=10
    expect_cmdline_lacks 2 BOOT_IMAGE=
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
    expect_done 2
}

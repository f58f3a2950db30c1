# `--use-kexec-tools`: the staging goes through kexec-tools' `kexec -s -l` (given the descriptors rekernel
# opened and checked, as /proc/self/fd paths), then rekernel journals and jumps as usual; the machine comes
# back on the newer kernel with the composed command line, and `verify` confirms it.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet lab.via=tools"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    run rekernel upgrade --latest --dry-run --use-kexec-tools
    switch rekernel upgrade --latest --now --yes --use-kexec-tools --append lab.staged=kexec-tools
}

guest_phase2() {
    run rekernel verify
}

check() {
    expect_phase 1 "$KA"
    expect_rc "rekernel upgrade --latest --dry-run --use-kexec-tools" 0
    expect_output "rekernel upgrade --latest --dry-run --use-kexec-tools" "kexec -s -l /boot/vmlinuz-$KB"
    expect_phase 2 "$KB"
    expect_cmdline_has 2 lab.staged=kexec-tools
    expect_cmdline_has 2 lab.via=tools
    expect_cmdline_has 2 panic=10
    expect_cmdline_lacks 2 BOOT_IMAGE=
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
    expect_done 2
}

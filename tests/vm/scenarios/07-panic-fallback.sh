# The new kernel's initrd is broken (its /init exits): the kernel panics, the panic=N that
# rekernel adds reboots it, the firmware boots the bootloader default (QEMU's -kernel: kernel A)
# and `rekernel verify` reports that the switch failed.
LAB_ARCHES="x86_64 arm64"
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=$CONSOLE quiet"
REBOOT_ON_PANIC=1   # QEMU without -no-reboot: a reset boots -kernel/-initrd again
MAX_BOOTS=2         # a third boot of A is a loop: the guest stops itself

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB" "" "$(broken_init_piece)"
}

guest_phase1() {
    switch rekernel upgrade --latest --now --yes
}

guest_phase2() {
    run rekernel verify
    run rekernel history
}

check() {
    expect_phase 1 "$KA"
    expect_marker "@@BROKEN-INIT uname=$KB exiting"
    expect_marker "Kernel panic"
    expect_phase 2 "$KA"
    expect_done 2
    expect_no_marker "@@LOOP"
    expect_rc "rekernel verify" 8
    expect_output "rekernel verify" failed
}

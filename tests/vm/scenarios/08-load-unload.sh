# `rekernel load` stages the kernel, `rekernel unload` drops it again, and then
# `rekernel switch` has nothing to switch to: it refuses (exit 3) and the machine stays up.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    run rekernel load --latest
    show loaded_after_load "$(cat /sys/kernel/kexec_loaded)"
    run rekernel status
    run rekernel unload
    show loaded_after_unload "$(cat /sys/kernel/kexec_loaded)"
    run rekernel switch --now --yes
    show still_up yes
}

check() {
    expect_rc "rekernel load --latest" 0
    expect_value loaded_after_load 1
    expect_rc "rekernel unload" 0
    expect_value loaded_after_unload 0
    expect_rc "rekernel switch --now --yes" 3
    expect_output "rekernel switch --now --yes" "^rekernel: "
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}

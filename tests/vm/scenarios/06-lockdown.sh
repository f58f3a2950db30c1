# lockdown=integrity without Secure Boot: kexec_file_load refuses even Debian's signed kernels.
# `rekernel status` fails its lockdown row, `rekernel load` exits 5 explaining lockdown's EPERM, the machine stays up.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet lockdown=integrity"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    show lockdown "$(cat /sys/kernel/security/lockdown)"
    run rekernel status
    run rekernel load --latest
    show kexec_loaded "$(cat /sys/kernel/kexec_loaded)"
    show still_up yes
}

check() {
    expect_phase 1 "$KA"
    expect_value lockdown "none [integrity] confidentiality"
    # The readiness row (src/Rekernel/Planning/ReadinessChecks.cs), failed; blanks squeezed.
    expect_line "rekernel status" "FAIL lockdown kernel lockdown is on (integrity): only kernels signed by a key in the built-in, secondary or platform keyring will load."
    # Preflight's warning, then the kernel's EPERM explained (src/Rekernel/Kexec/KexecErrors.cs): exit 5.
    expect_rc "rekernel load --latest" 5
    expect_line "rekernel load --latest" "rekernel: warning: kernel lockdown is on (integrity): only kernels signed by a key in the built-in, secondary or platform keyring will load."
    expect_line "rekernel load --latest" "rekernel: staging the kernel (kexec_file_load) failed (EPERM): kernel lockdown (integrity) refuses unsigned or untrusted images: the image must be signed by a key in the kernel's built-in, secondary or platform keyring, and the platform keyring gets keys only from the UEFI Secure Boot db or shim's MOK list; without Secure Boot even distribution-signed kernels are refused."
    expect_value kexec_loaded 0
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}

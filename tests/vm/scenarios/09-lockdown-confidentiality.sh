# lockdown=confidentiality (the stricter mode, a superset of integrity) without Secure Boot: kexec_file_load
# refuses even Debian's signed kernel. `rekernel status` flags it, `rekernel load` refuses naming lockdown,
# nothing is staged and the machine stays up.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet lockdown=confidentiality"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    show lockdown "$(cat /sys/kernel/security/lockdown)"
    run rekernel status
    run rekernel load --latest
    show kexec_loaded "$(cat /sys/kernel/kexec_loaded)"
    run rekernel upgrade --now --yes
    show kexec_loaded_after_upgrade "$(cat /sys/kernel/kexec_loaded)"
    show still_up yes
}

check() {
    expect_phase 1 "$KA"
    expect_value lockdown "none integrity [confidentiality]"
    expect_output "rekernel status" lockdown
    expect_rc "rekernel load --latest" nonzero
    expect_output "rekernel load --latest" "^rekernel: .*lockdown \(confidentiality\)"
    expect_value kexec_loaded 0
    expect_rc "rekernel upgrade --now --yes" nonzero
    expect_output "rekernel upgrade --now --yes" "^rekernel: .*lockdown"
    expect_value kexec_loaded_after_upgrade 0
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}

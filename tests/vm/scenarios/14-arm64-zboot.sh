# arm64 EFI zboot kernels (as Fedora's aarch64 vmlinuz-V is), genuine ones: Debian's 6.1.0-53-cloud-arm64 Image
# wrapped by the kernel's own Makefile.zboot (LAB_ZBOOT, tests/vm/build-kernel.sh), gzip and zstd. On the lab's own
# kernel (KN, with kexec_file_load), rekernel decompresses each into a memory file and stages that with
# kexec_file_load: `load` of the gzip one is accepted by the kernel (then unloaded), the zstd one is switched to, and
# the new kernel runs the command line rekernel staged.
LAB_ARCHES="arm64"
NEEDS_LAB_KERNEL=1
KERNEL_A=$KN
CMDLINE_A="root=/dev/ram0 ro console=$CONSOLE quiet"
UPGRADE="rekernel upgrade 6.1.0-53-cloud-arm64 --now --yes"

setup_boot() {
    boot_kernel "$KN"; boot_initrd "$KN"
    boot_kernel "$KB"; boot_initrd "$KB"
    mkdir -p "$(boot_path /zboot)"
    cp "$LAB_ZBOOT/vmlinuz-$KB.gzip.efi" "$LAB_ZBOOT/vmlinuz-$KB.zstd.efi" "$(boot_path /zboot)"
}

guest_phase1() {
    k=/boot/vmlinuz-6.1.0-53-cloud-arm64
    cp /zboot/vmlinuz-6.1.0-53-cloud-arm64.gzip.efi "$k"
    run rekernel load 6.1.0-53-cloud-arm64 --append lab.zboot=gzip
    show loaded_gzip "$(cat /sys/kernel/kexec_loaded)"
    run rekernel unload
    show loaded_after_unload "$(cat /sys/kernel/kexec_loaded)"
    cp /zboot/vmlinuz-6.1.0-53-cloud-arm64.zstd.efi "$k"
    run rekernel list
    run rekernel upgrade 6.1.0-53-cloud-arm64 --now --dry-run
    switch rekernel upgrade 6.1.0-53-cloud-arm64 --now --yes
}

guest_phase2() {
    run rekernel verify
}

check() {
    expect_phase 1 "$KN"
    expect_rc "rekernel load 6.1.0-53-cloud-arm64 --append lab.zboot=gzip" 0
    expect_output "rekernel load 6.1.0-53-cloud-arm64 --append lab.zboot=gzip" "^Staged 6\.1\.0-53-cloud-arm64 \(kernel /boot/vmlinuz-6\.1\.0-53-cloud-arm64,"
    expect_value loaded_gzip 1
    expect_value loaded_after_unload 0
    expect_output "rekernel list" "^ *6\.1\.0-53-cloud-arm64 +bootdir "
    expect_line "rekernel upgrade 6.1.0-53-cloud-arm64 --now --dry-run" "loader kexec_file_load: the running kernel has the kexec_file_load system call (CONFIG_KEXEC_FILE=y in /boot/config-$KN)."
    expect_phase 2 "$KB"
    expect_done 2
    expect_cmdline_staged 2 "$UPGRADE"
    expect_cmdline_lacks 2 lab.zboot=gzip
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
}

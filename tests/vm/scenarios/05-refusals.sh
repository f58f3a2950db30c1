# Preflight refusals on the running kernel: each `upgrade --now` must exit 4 with exactly the one
# "rekernel: ..." sentence of its cause, stage nothing, and leave the machine up.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet"
UPGRADE="rekernel upgrade --latest --now --yes"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    # The guest's PID 1 is busybox: the graceful switch's dry run is refused as the switch would be.
    run rekernel upgrade --latest --dry-run
    k=/boot/vmlinuz-6.1.0-53-cloud-amd64 i=/boot/initrd.img-6.1.0-53-cloud-amd64
    cp "$k" /tmp/kernel
    head -c 1000000 /tmp/kernel > "$k"
    run rekernel upgrade --latest --now --yes
    show loaded_after_truncated "$(cat /sys/kernel/kexec_loaded)"
    cp /tmp/kernel "$k"

    mv "$i" /tmp/initrd
    run rekernel upgrade --latest --now --yes
    show loaded_after_missing_initrd "$(cat /sys/kernel/kexec_loaded)"
    mv /tmp/initrd "$i"

    chmod o+w "$k"
    run rekernel upgrade --latest --now --yes
    show loaded_after_writable "$(cat /sys/kernel/kexec_loaded)"
    chmod o-w "$k"

    # Last: it cannot be undone without a reboot.
    echo 1 > /proc/sys/kernel/kexec_load_disabled
    run rekernel upgrade --latest --now --yes
    show loaded_after_disabled "$(cat /sys/kernel/kexec_loaded)"
    show still_up yes
}

check() {
    expect_phase 1 "$KA"
    # The sentences are the ones src/Rekernel/Planning/{Preflight,OpenedImages}.cs and BzImageHeader.cs write for
    # these causes, here for this lab's files.
    expect_refusal "rekernel upgrade --latest --dry-run" 1 "graceful dry run without systemd" \
        "PID 1 is not systemd, so services cannot be stopped through kexec.target; use --now to sync and jump at once (services are not stopped)."
    # 14156288 = (setup_sects + 1) * 512 + syssize * 16 from the header of the lab's vmlinuz-6.1.0-53-cloud-amd64.
    expect_refusal "$UPGRADE" 1 "truncated kernel" \
        "/boot/vmlinuz-$KB cannot be staged: the image is truncated (1000000 bytes, but its header says the kernel needs 14156288); reinstall the kernel package that owns it."
    expect_value loaded_after_truncated 0
    expect_refusal "$UPGRADE" 2 "missing initrd" \
        "/boot/vmlinuz-$KB has no initrd in /boot (looked for initrd.img-$KB, initramfs-$KB.img, initrd-$KB); build it (update-initramfs -c -k $KB, or dracut --kver $KB) and retry."
    expect_value loaded_after_missing_initrd 0
    expect_refusal "$UPGRADE" 3 "world-writable kernel" \
        "the kernel /boot/vmlinuz-$KB is writable by group or others (mode 0646); run 'chmod go-w /boot/vmlinuz-$KB' if it is genuine."
    expect_value loaded_after_writable 0
    expect_refusal "$UPGRADE" 4 "kexec_load_disabled" \
        "kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot."
    expect_value loaded_after_disabled 0
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}

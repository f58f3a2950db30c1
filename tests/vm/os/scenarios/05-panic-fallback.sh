# The target 6.1.0-53 is GRUB's default and panics after the jump
# (`--append rdinit=/nonexistent`, panic=10: no /init in the initrd, so the kernel mounts root= itself, cannot
# resolve UUID= and panics "VFS: Unable to mount root fs"; `init=/nonexistent` does not panic on Debian:
# initramfs-tools prints "Target filesystem doesn't have requested /nonexistent" and starts /sbin/init): the firmware reboot
# goes through GRUB's one-shot next_entry to the running 6.1.0-47, not into the same bad kernel again; `verify
# --json` reports the fallback (exit 8), history keeps it, and grubenv has no next_entry left.
DEADLINE=1200

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    # This scenario's own verify settles the switch (the unit would settle it first at boot).
    systemctl mask -q rekernel-verify.service
    run rekernel upgrade --dry-run --json --append rdinit=/nonexistent
    echo "@@SWITCH upgrade"
    run rekernel upgrade --yes --append rdinit=/nonexistent
    sleep 600 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    run rekernel verify --json
    run rekernel history --json
    run grub-editenv list
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_output 1 "rekernel upgrade --dry-run --json --append rdinit=/nonexistent" '"mechanism": *"grub-next-entry"'
    expect_output 1 "rekernel upgrade --dry-run --json --append rdinit=/nonexistent" "\"entry\": *\"gnulinux-advanced-[^\"]*(>|\\\\u003E)gnulinux-$OS_OLD-advanced-"
    # 53 panicked: its panic message, then the firmware again and GRUB booting the one-shot 47 entry.
    expect_true "no root-mount panic for rdinit=/nonexistent on the console" grep -q "Kernel panic - not syncing: VFS: Unable to mount root fs" "$OS_WORK/console.log"
    expect_firmware_boots 2
    expect_value 2 uname "$OS_OLD"
    expect_cmdline_has 2 "BOOT_IMAGE=/boot/vmlinuz-$OS_OLD"
    expect_rc 2 "rekernel verify --json" 8
    expect_output 2 "rekernel verify --json" '"outcome": *"fallback"'
    expect_output 2 "rekernel history --json" '"outcome": *"fallback"'
    expect_rc 2 "grub-editenv list" 0
    asserted; output_of 2 "grub-editenv list" | grep -q '^next_entry=.' && fail "boot 2: grubenv still has next_entry: $(output_of 2 "grub-editenv list" | tr '\n' ' ')"
}

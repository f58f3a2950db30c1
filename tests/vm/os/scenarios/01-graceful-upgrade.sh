# `rekernel upgrade --yes` on the guest running 6.1.0-47 (booted by GRUB): systemd stops services and
# unmounts file systems through kexec.target, the guest comes back on 6.1.0-53 with the command
# line of GRUB's default entry, and rekernel-verify.service records success.
DEADLINE=420

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    run rekernel status
    echo "@@SWITCH upgrade"
    run rekernel upgrade --yes
    sleep 300 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    value grubargs "$(grub_args)"
    # Wait for the verify unit (it runs once at boot, before or after this script).
    report_verify
    value verifyunit "$(systemctl show -p FragmentPath --value rekernel-verify.service)"
    run journalctl -b -1 --no-pager -o short-monotonic -n 200
    run rekernel history --json
    run rekernel history
    # --explain needs the boot to be finished (systemd-analyze): this unit itself is started, so it is.
    run rekernel history --explain
    run rekernel history --explain --json
    run systemd-analyze
    if [ -f /lab-disk/capture ]; then
        # Real outputs for the parsers' unit tests (bench/ and tests/fixtures/debian12-os/).
        run systemd-analyze blame --no-pager
        id=$(rekernel history --json | sed -n 's/.*"bootId": "\(.*\)".*/\1/p' | head -n1 | tr -d -)
        journalctl -b "$id" -o json --no-pager --since "@$(( $(date -d "$(rekernel history --json | sed -n 's/.*"requestedAt": "\(.*\)".*/\1/p' | head -n1)" +%s) - 1 ))" | sed 's/^/@@CAPJ /'
    fi
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    # rekernel came from its package, and the verify unit that ran is the package's.
    expect_like 1 installed "install ok installed *"
    expect_like 2 verifyunit "*/lib/systemd/system/rekernel-verify.service"
    expect_value 1 uname "$OS_OLD"
    expect_cmdline_has 1 "BOOT_IMAGE=/boot/vmlinuz-$OS_OLD"   # started by GRUB on the old kernel
    expect_value 2 uname "$OS_NEW"
    expect_grub_cmdline 2 2
    expect_cmdline_lacks 2 BOOT_IMAGE=   # GRUB's, not in the kexec'd command line
    # An orderly shutdown in the previous boot's journal: kexec.target's services ran, file systems unmounted.
    local j="journalctl -b -1 --no-pager -o short-monotonic -n 200"
    expect_output 2 "$j" "Stopped target multi-user.target"
    expect_output 2 "$j" "Unmounted .*/lab-disk"
    expect_output 2 "$j" "Reached target umount.target"
    expect_output 2 "$j" "Starting systemd-kexec.service - Reboot via kexec"
    expect_output 2 "$j" "systemd-journald.*Journal stopped"
    # history --explain on the machine that switched: every phase measured.
    expect_rc 2 "rekernel history --explain" 0
    expect_output 2 "rekernel history --explain" "^shutdown .* [0-9]+\.[0-9]+ "
    expect_output 2 "rekernel history --explain" "^kernel until init .* [0-9]+\.[0-9]+ "
    expect_output 2 "rekernel history --explain" "^userspace until .* [0-9]+\.[0-9]+ "
    expect_output 2 "rekernel history --explain" "^ +[0-9.]+ s +[^ ]+\.service"
    expect_verify_success 2
    expect_output 2 "rekernel history --json" '"outcome": *"success"'
    local a b
    a=$(host_time '@@SWITCH upgrade'); b=$(host_time '@@READY uname='"$OS_NEW")
    OS_NOTE="downtime $(seconds_between "$a" "$b")s"
}

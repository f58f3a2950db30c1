# `rekernel upgrade --when +1min` then `rekernel switch --cancel`: nothing happens for 90 s; scheduled
# again with `--when +30s`, the switch happens at that time (through logind's ScheduleShutdown), and it is a kexec:
# no firmware or GRUB between the boots, the staged command line on the new kernel.
DEADLINE=900

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    run rekernel upgrade --when +1min --yes
    sleep 3
    run rekernel switch --cancel
    sleep 90
    value after90 "$(uname -r)"
    echo "@@SWITCH scheduled"
    run rekernel upgrade --when +30s --yes
    sleep 400 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    # When the old boot began to stop, against the time logind was given (both on the guest's clock).
    value stopped "$(journalctl -b -1 -o short-unix --no-pager | grep -m1 'Stopped target multi-user.target' | cut -d' ' -f1)"
    value scheduled "$(date -d "$(rekernel history --json | sed -n 's/.*"scheduledFor": "\(.*\)".*/\1/p' | head -n1)" +%s.%N)"
    run rekernel history --json
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_rc 1 "rekernel upgrade --when +1min --yes" 0
    expect_rc 1 "rekernel switch --cancel" 0
    expect_value 1 after90 "$OS_OLD"
    expect_rc 1 "rekernel upgrade --when +30s --yes" 0
    expect_value 2 uname "$OS_NEW"
    expect_output 2 "rekernel history --json" '"outcome": *"success"'
    expect_output 2 "rekernel history --json" '"outcome": *"cancelled"'
    # A kexec, not a firmware reboot: SeaBIOS and GRUB ran once, for the first boot (a reset prints the banner and
    # boots the disk again), and the new kernel has the command line rekernel staged: GRUB's entry plus panic=10,
    # without the BOOT_IMAGE= GRUB puts first.
    expect_console_count "SeaBIOS (version" 1
    expect_console_count "Booting from Hard Disk" 1
    expect_cmdline_has 2 panic=10
    expect_cmdline_lacks 2 BOOT_IMAGE=
    local a b s late
    a=$(host_time '@@SWITCH scheduled'); b=$(host_time '@@READY uname='"$OS_NEW")
    s=$(seconds_between "$a" "$b") || { asserted; fail "no times for the scheduled switch"; return; }
    expect_true "the new kernel was up ${s}s after scheduling +30s: too early" awk -v s="$s" 'BEGIN { exit !(s >= 30) }'
    # The shutdown began at the scheduled time: logind started kexec.target then, not before, not much later.
    late=$(seconds_between "$(value_of 2 scheduled)" "$(value_of 2 stopped)") || { asserted; fail "no shutdown time in the old boot's journal"; return; }
    expect_true "multi-user.target stopped ${late}s after the scheduled time, expected 0-30 s" awk -v l="$late" 'BEGIN { exit !(l >= 0 && l < 30) }'
    OS_NOTE="shutdown began ${late}s after the scheduled time, up on $OS_NEW ${s}s after the command"
}

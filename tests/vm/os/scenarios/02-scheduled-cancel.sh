# `rekernel upgrade --when +1min` then `rekernel switch --cancel`: nothing happens for 90 s; scheduled
# again with `--when +30s`, the switch happens at that time (through logind's ScheduleShutdown).
DEADLINE=600

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
    local a b s
    a=$(host_time '@@SWITCH scheduled'); b=$(host_time '@@READY uname='"$OS_NEW")
    s=$(seconds_between "$a" "$b") || { fail "no times for the scheduled switch"; return; }
    # Not before the time (30 s), and not long after it (shutdown + boot under emulation).
    awk -v s="$s" 'BEGIN { exit !(s >= 30 && s < 150) }' || fail "the scheduled switch took ${s}s from the command to the new kernel, expected 30-150 s"
    OS_NOTE="scheduled +30s, up on $OS_NEW after ${s}s"
}

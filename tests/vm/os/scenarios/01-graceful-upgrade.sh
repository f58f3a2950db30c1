# `rekernel upgrade --yes` on the guest running 6.1.0-47 (booted by GRUB): systemd stops services and
# unmounts file systems through kexec.target, the guest comes back on 6.1.0-53 with the command
# line of GRUB's default entry, and rekernel-verify.service records success.
DEADLINE=420

guest_script() {
    cat <<'GUEST'
# The linux line of GRUB's default entry (GRUB_DEFAULT=0: the first menuentry), without the path.
grub_default_args() { awk '$1 == "linux" { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' /boot/grub/grub.cfg; }
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
    value grubargs "$(grub_default_args)"
    # Wait for the verify unit (it runs once at boot, before or after this script).
    for _ in $(seq 60); do systemctl is-active -q rekernel-verify.service && break; sleep 1; done
    value verify "$(systemctl show -p ActiveState -p Result rekernel-verify.service | tr '\n' ' ')"
    run journalctl -b -1 --no-pager -o short-monotonic -n 200
    run rekernel history --json
    run rekernel history
    run systemd-analyze
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    case " $(value_of 1 cmdline) " in *" BOOT_IMAGE=/boot/vmlinuz-$OS_OLD "*) ;; *) fail "boot 1 was not started by GRUB on $OS_OLD: $(value_of 1 cmdline)" ;; esac
    expect_value 2 uname "$OS_NEW"
    local got want
    got=$(value_of 2 cmdline | tr ' ' '\n' | grep -v '^panic=' | grep -v '^$' | tr '\n' ' ')
    want=$(value_of 2 grubargs | tr ' ' '\n' | grep -v '^$' | tr '\n' ' ')
    [ -n "$want" ] && [ "$got" = "$want" ] || fail "command line after the switch is '$got', GRUB's default entry has '$want' (+ panic=)"
    case " $(value_of 2 cmdline) " in *" BOOT_IMAGE="*) fail "the kexec'd command line has GRUB's BOOT_IMAGE" ;; esac
    # An orderly shutdown in the previous boot's journal: kexec.target's services ran, file systems unmounted.
    expect_output 2 "journalctl -b -1 --no-pager -o short-monotonic -n 200" "(Reached target|Stopped target).*(kexec|Reboot via kexec)"
    expect_output 2 "journalctl -b -1 --no-pager -o short-monotonic -n 200" "Unmount"
    expect_output 2 "journalctl -b -1 --no-pager -o short-monotonic -n 200" "Stopped target Multi-User System"
    case $(value_of 2 verify) in *ActiveState=active*Result=success*|*Result=success*ActiveState=active*) ;;
        *) fail "rekernel-verify.service did not succeed: $(value_of 2 verify)" ;; esac
    expect_output 2 "rekernel history --json" '"outcome": *"success"'
    local a b
    a=$(host_time '@@SWITCH upgrade'); b=$(host_time '@@READY uname='"$OS_NEW")
    OS_NOTE="downtime $(seconds_between "$a" "$b")s"
}

# Preflight refusals on the running kernel: each `upgrade --now` must fail with one
# "rekernel: ..." sentence, stage nothing, and leave the machine up.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet"
UPGRADE="rekernel upgrade --latest --now --yes"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
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

# The same command runs four times; check each run's output in order.
nth_output() { # N
    awk -v n="$1" -v run="@@RUN $UPGRADE" -v rc="@@RC $UPGRADE " '
        $0 == run { k++; next } index($0, rc) == 1 { if (k == n) print "@@RC " $NF; next }
        k == n && /^@@(OUT|ERR) / { print }' "$LAB_WORK/console.log"
}

expect_refusal() { # N WHAT REGEX
    local out; out=$(nth_output "$1")
    echo "$out" | grep -q '^@@RC 0$' && { fail "$2: upgrade exited 0"; return 1; }
    echo "$out" | grep -q '^@@RC ' || { fail "$2: upgrade never returned"; return 1; }
    echo "$out" | grep -q '^@@ERR rekernel: ' || fail "$2: no 'rekernel: ...' line on stderr"
    echo "$out" | grep -qiE -- "$3" || fail "$2: the message does not mention '$3': $(echo "$out" | tr '\n' '|')"
}

check() {
    expect_phase 1 "$KA"
    expect_refusal 1 "truncated kernel" "truncat|size|short|incomplete|corrupt|invalid|damaged"
    expect_value loaded_after_truncated 0
    expect_refusal 2 "missing initrd" "initr"
    expect_value loaded_after_missing_initrd 0
    expect_refusal 3 "world-writable kernel" "writ"
    expect_value loaded_after_writable 0
    expect_refusal 4 "kexec_load_disabled" "kexec_load_disabled"
    expect_value loaded_after_disabled 0
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}

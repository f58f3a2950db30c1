# bash completion for rekernel(8). tests/Rekernel.Tests/Packaging/CompletionTests.cs checks that every command and
# option of the CLI is listed here.

_rekernel_versions()
{
    local root=${1:-/} f
    for f in "$root"/boot/vmlinuz-*; do
        [ -e "$f" ] && printf '%s\n' "${f##*/vmlinuz-}"
    done
}

_rekernel()
{
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
    }
    local commands="list status load upgrade unload switch verify history agent fleet"
    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in -*) ;; *) command=${words[i]}; break ;; esac
    done

    case $prev in
        --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --when) COMPREPLY=($(compgen -W "now +5min +1h 02:00" -- "$cur")); return ;;
        --etcd-ca|--etcd-cert|--etcd-key|--etcd-password-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --running|--append|--remove|--cmdline|--panic-timeout|--etcd|--etcd-user|--group|--host-id|--reason|--max-concurrent|--slices|--switch-timeout|--hosts|--switch-seconds|--bad-hosts|--poll-seconds) return ;;
    esac

    local opts
    case $command in
        "") opts="--help --version"; COMPREPLY=($(compgen -W "$commands $opts" -- "$cur")); return ;;
        list) opts="--root --json --running --help" ;;
        status) opts="--root --json --running --latest --check --help" ;;
        load) opts="--dry-run --json --quiet -q --latest --default --append --remove --cmdline --panic-timeout --no-panic-reboot --use-kexec-tools --root --running --help" ;;
        upgrade) opts="--now --when --dry-run --json --yes -y --force --in-window --quiet -q --latest --default --append --remove --cmdline --panic-timeout --no-panic-reboot --use-kexec-tools --root --running --help" ;;
        unload) opts="--json --quiet -q --help" ;;
        switch) opts="--now --when --cancel --yes -y --help" ;;
        verify) opts="--json --help" ;;
        history) opts="--json --explain --help" ;;
        agent) opts="--group --host-id --etcd --etcd-ca --etcd-cert --etcd-key --etcd-user --etcd-password-file --help" ;;
        # fleet's subcommands, then every option one of them takes.
        fleet) opts="--group --json --watch --max-concurrent --slices --switch-timeout --reason --hosts --switch-seconds --bad-hosts --poll-seconds --etcd --etcd-ca --etcd-cert --etcd-key --etcd-user --etcd-password-file --help"
            [[ $cur != -* && ${words[cword-1]} == fleet ]] && { COMPREPLY=($(compgen -W "status init halt resume unlock forget simulate" -- "$cur")); return; } ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $command == load || $command == upgrade ]]; then
        COMPREPLY=($(compgen -W "$(_rekernel_versions)" -- "$cur"))
    fi
}
complete -F _rekernel rekernel

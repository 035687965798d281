#!/usr/bin/env bash
# Launch to first frame: how long `kanbao` takes from being started to
# having its first frame of the reader on a terminal screen (tmux's).
#
# Needs tmux (3.2 or later) and bash 5 (for $EPOCHREALTIME); run from
# anywhere as `bash benches/launch.sh`. RUNS=50 sets the number of timed
# launches (default 20). See benches/README.md, "Rendering".
#
# How it measures, each run:
#
# - A fresh detached tmux session, 200×60, on a private tmux server (its
#   own socket, `tmux -S` in a temporary directory), runs
#   `bash -c 'echo $EPOCHREALTIME > t0; exec kanbao --config config.toml'`:
#   the clock starts inside the pane, just before kanbao replaces the
#   shell, so the time tmux and bash take to start is not counted.
# - The script polls tmux for the end of the first frame: the status line,
#   the last row ratatui writes (its diff goes row by row), which ends in
#   "q quit". Each poll is one `display-message -p '#{C:q quit}'` (search
#   the pane) sent over a tmux control-mode connection, so polling forks no
#   process; a round trip takes about 0.1 ms on an idle machine, 0.5 ms
#   while kanbao starts. Between polls the script waits 0.5 ms (a `read -t`
#   on a FIFO, no fork), leaving the CPU to kanbao and the tmux server.
# - The frame appeared after the last poll that did not see it was sent
#   and before the first poll that saw it returned. The script reports
#   that upper bound as "launch", and the width of the interval as
#   "resolution".
#
# Each run then checks that the window is 200×60 and that the first sample
# headline is on the screen, and closes the session (kanbao gets SIGHUP).
# One untimed run first warms the page cache. For comparison the script
# also times `kanbao list` with its output to /dev/null (start, load the
# archive, print, exit; no terminal) as seen from this shell, fork and wait
# included.
#
# HOME, XDG_STATE_HOME and XDG_CONFIG_HOME point into the temporary
# directory, LC_ALL=C.UTF-8. The tmux server and the directory (with the
# socket) are removed on exit, also on Ctrl-C. VERBOSE=1 prints every run.
#
# Another archive: KANBAO_LAUNCH_CONFIG=PATH starts kanbao with that config
# instead of the repo's config.toml, and KANBAO_LAUNCH_HEADLINE=TEXT is what
# must then be on the first screen (benches/archive.sh sets both).
# Another binary: KANBAO_LAUNCH_BIN=PATH starts that one, built by no one
# (to compare two builds in one sitting).

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-20}
mark='q quit'
headline=${KANBAO_LAUNCH_HEADLINE:-奋力建设区域创新高地}

command -v tmux >/dev/null || {
    echo "launch.sh: needs tmux" >&2
    exit 1
}
[[ -n ${EPOCHREALTIME:-} ]] || {
    echo "launch.sh: needs bash 5 or later" >&2
    exit 1
}

if [[ -n ${KANBAO_LAUNCH_BIN:-} ]]; then
    bin=$KANBAO_LAUNCH_BIN
else
    cargo build --release --quiet --manifest-path "$root/Cargo.toml"
    bin=$root/target/release/kanbao
fi
config=${KANBAO_LAUNCH_CONFIG:-$root/config.toml}

tmp=$(mktemp -d)
sock=$tmp/tmux.sock
cleanup() {
    tmux -S "$sock" kill-server 2>/dev/null || true
    # A server that did not answer would outlive its deleted socket, and
    # its control client would hold this script's output open.
    [[ -z ${server_pid:-} ]] || kill "$server_pid" 2>/dev/null || true
    [[ -z ${CTL_PID:-} ]] || kill "$CTL_PID" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/home" "$tmp/state" "$tmp/config"
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export LC_ALL=C.UTF-8 TERM=xterm-256color
unset KANBAO_CONFIG NO_COLOR TMUX
# What each pane runs; the paths come through the environment, which the
# tmux server passes on to its panes.
export LAUNCH_BIN=$bin LAUNCH_CONFIG=$config LAUNCH_T0=$tmp/t0
pane='echo $EPOCHREALTIME > "$LAUNCH_T0"; exec "$LAUNCH_BIN" --config "$LAUNCH_CONFIG"'

# A private server, kept alive by an idle session that the control-mode
# client attaches to; pane output is not sent to it (no-output).
tmux -S "$sock" -f /dev/null new-session -d -s idle -x 80 -y 24 'sleep 86400'
server_pid=$(tmux -S "$sock" display-message -p -t idle '#{pid}')
coproc CTL { exec tmux -S "$sock" -C attach -t idle; }
to_tmux=${CTL[1]}
from_tmux=${CTL[0]}

# The reply of the last command, in $reply (its lines joined by newlines).
reply=
read_reply() {
    local line inside=0
    reply=
    while IFS= read -r -t 10 line <&"$from_tmux"; do
        case $line in
        %begin*) inside=1 ;;
        %end* | %error*)
            if ((inside)); then
                [[ $line == %error* ]] && {
                    echo "launch.sh: tmux: $reply" >&2
                    exit 1
                }
                return 0
            fi
            ;;
        *) ((inside)) && reply+=${reply:+$'\n'}$line ;;
        esac
    done
    echo "launch.sh: no answer from tmux" >&2
    exit 1
}
tmux_cmd() {
    printf '%s\n' "$1" >&"$to_tmux"
    read_reply
}
read_reply # the reply to `attach`
tmux_cmd 'refresh-client -f no-output'

# Pauses between polls: a read that times out, on a FIFO nobody writes.
mkfifo "$tmp/never"
exec {never}<>"$tmp/never"
pause() { read -r -t 0.0005 -u "$never" _ || true; }

# Microseconds since the epoch, from $EPOCHREALTIME or t0's contents, in
# the variable named $1 (no command substitution: that would fork).
us() { printf -v "$1" '%d' "$((10#${2/./}))"; }
ms() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }

launch() { # $1: session name; sets $launch_us and $resolution_us
    local s=$1 polls=0 sent before=0 after found=0
    # Run without a shell by tmux; '…' is taken literally by tmux.
    tmux_cmd "new-session -d -s $s -x 200 -y 60 bash -c '$pane'"
    while ((polls < 100000)); do
        us sent "$EPOCHREALTIME"
        tmux_cmd "display-message -p -t $s '#{C:$mark}'"
        us after "$EPOCHREALTIME"
        polls=$((polls + 1))
        if [[ $reply == [1-9]* ]]; then
            found=1
            break
        fi
        before=$sent
        pause
    done
    ((found)) || {
        echo "launch.sh: no frame in $s" >&2
        exit 1
    }
    tmux_cmd "display-message -p -t $s '#{window_width}x#{window_height} #{C:$headline}'"
    [[ $reply == 200x60\ [1-9]* ]] || {
        echo "launch.sh: $s: expected a 200x60 window with \"$headline\" on it, got: $reply" >&2
        exit 1
    }
    tmux_cmd "kill-session -t $s"
    local start
    us start "$(<"$tmp/t0")"
    rm "$tmp/t0"
    ((before < start)) && before=$start
    launch_us=$((after - start))
    resolution_us=$((after - before))
    [[ -n ${VERBOSE:-} ]] && echo "$s: $(ms "$launch_us") ms, resolution $(ms "$resolution_us") ms, $polls polls" >&2
    return 0
}

stats() { # label, then values in µs: min / median / max in ms
    local label=$1
    shift
    local sorted
    mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
    local n=${#sorted[@]}
    local median=$(((sorted[(n - 1) / 2] + sorted[n / 2]) / 2))
    printf '%-34s min %7s  median %7s  max %7s ms\n' "$label" \
        "$(ms "${sorted[0]}")" "$(ms "$median")" "$(ms "${sorted[n - 1]}")"
}

# The index lives in the temporary HOME's cache, empty at first: a reader
# started on an empty cache opens at once with "Indexing…" and fills a few
# milliseconds later. Build it first, as a reader that has run before has
# it, so that every launch (the warm-up too) shows the articles.
"$bin" --config "$config" list >/dev/null
launch warmup
launches=()
resolutions=()
for ((i = 1; i <= runs; i++)); do
    launch "run$i"
    launches+=("$launch_us")
    resolutions+=("$resolution_us")
done

lists=()
"$bin" --config "$config" list >/dev/null # warm up
for ((i = 1; i <= runs; i++)); do
    us start "$EPOCHREALTIME"
    "$bin" --config "$config" list >/dev/null
    us end "$EPOCHREALTIME"
    lists+=($((end - start)))
done

echo "kanbao launch to first frame, 200×60 tmux pane, $runs runs"
stats "launch (upper bound)" "${launches[@]}"
stats "resolution (poll interval)" "${resolutions[@]}"
stats "kanbao list >/dev/null" "${lists[@]}"

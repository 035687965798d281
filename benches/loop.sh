#!/usr/bin/env bash
# The daily reading loop (issue 18), whole process: how long the reader,
# on a 100,000-article archive in a 200×60 tmux pane, takes from a key to
# the screen showing its answer.
#
#   bash benches/loop.sh          # RUNS=20 presses of each key
#   RUNS=50 bash benches/loop.sh
#   ARTICLES=1000000 RUNS=5 bash benches/loop.sh   # another archive size
#   SHAPE="--pages-per-issue 16-24 --articles-per-page 4-8" \
#       ARTICLES=1000000 RUNS=5 bash benches/loop.sh   # a national daily's
#
# Needs tmux (3.2 or later) and bash 5 (for $EPOCHREALTIME). See
# benches/README.md, "The daily reading loop (issue 18)".
#
# The archive is the one benches/archive.sh and benches/loop.rs use:
# 100,000 articles, seed 1, 3 feeds, written with
# `cargo run --release --example synth-archive` into
# <target>/tmp/loop-archive-100000 (where `cargo bench --bench loop`
# keeps it too) unless it is there already. HOME, XDG_CACHE_HOME (the
# index), XDG_STATE_HOME (the read marks) and XDG_CONFIG_HOME point into a
# temporary folder; LC_ALL=C.UTF-8. `kanbao list` builds the index there
# first, so the reader starts as it does on a returning user's machine.
#
# Two readers are started in turn, each in a fresh 200×60 session of a
# private tmux server (its own socket in the temporary folder):
#
# 1. no read marks: after checking that the tree shows the newest date
#    open and the older ones folded, `j`/`k` in the article list, `A`/Esc
#    (mark the section read, undo), the jump to a date (`:`, the date,
#    Enter; 2026-09-01 and 2026-10-01 in turn), then `A`/Esc again with
#    the first feed selected (`g`);
# 2. a state.json in which the first feed's newest date is read but its
#    first article: `u`/`U` (the next unread article is the first of the
#    next date, 32 read articles further; `U` comes back), then `v` three
#    times (unread only, starred only, all).
#
# Each reader is first left to bring its index up to date (its worker
# threads gone, then 0.3 s), so no background work runs while keys are
# timed. For each key, RUNS times: the key is sent with `send-keys` over a
# tmux control-mode connection, then the script polls the screen (one
# `capture-pane -p` of one row per poll, over the same connection, so a
# poll forks no process; 0.5 ms between polls) until that row shows the
# key's answer:
#
#   j, k          the reader pane's first row shows the next (previous)
#                 article's headline (its preview, its text read)
#   A, Esc        the status line says "marked N read", "undone: N unread";
#                 with the newest date's first section selected (4
#                 articles), then with the whole first feed (33,501)
#   : date Enter  the status line says "2026-09-01 · N 篇, M unread"; the
#                 clock starts at Enter (the prompt and the date typed
#                 before it are not timed)
#   u, U          the status line names the next (previous) date
#   v             the status line says "showing the N unread only",
#                 "showing the N starred only", "showing all N articles"
#   / 创新平台    after `/`, each character typed (slash1 … slash4): the
#                 status line shows the query so far, drawn in the frame
#                 that shows its hits
#
# The time reported is from just before the key was sent to just after the
# first poll that saw the answer returned (an upper bound); "resolution"
# is how long before that the last poll that did not see it was sent. The
# status line is the last row ratatui writes, so its answer means the
# frame is out. Between presses the script waits 50 ms. Peak RSS is the
# reader's VmHWM from /proc/PID/status at the end of each session.
#
# The server and the temporary folder are removed on exit, also on Ctrl-C
# (KEEP=1 keeps the folder). VERBOSE=1 prints every press.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-20}
articles=${ARTICLES:-100000}
width=200
height=60
dates=(2026-09-01 2026-10-01)

die() {
    echo "loop.sh: $*" >&2
    exit 1
}
command -v tmux >/dev/null || die "needs tmux"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a number"

cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin kanbao --example synth-archive
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
[[ -d $target ]] || die "cannot find cargo's target folder"
bin=$target/release/kanbao
synth=$target/release/examples/synth-archive

# Another issue size ($SHAPE, options of synth-archive) is another archive.
archive=$target/tmp/loop-archive-$articles${SHAPE:+-$(printf '%s' "$SHAPE" | tr -cs 'A-Za-z0-9' '-')}
archive=${archive%-}
if [[ ! -f $archive/config.toml ]]; then
    mkdir -p "$target/tmp"
    rm -rf "$archive.partial"
    # shellcheck disable=SC2086 # $SHAPE is a list of options
    "$synth" --articles "$articles" --seed 1 --feeds 3 ${SHAPE:-} "$archive.partial" >/dev/null
    mv "$archive.partial" "$archive"
fi
config=$archive/config.toml

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kanbao-loop.XXXXXX")
sock=$tmp/tmux.sock
cleanup() {
    tmux -S "$sock" kill-server 2>/dev/null || true
    # A server that did not answer would outlive its deleted socket, and
    # its control client would hold this script's output open.
    [[ -z ${server_pid:-} ]] || kill "$server_pid" 2>/dev/null || true
    [[ -z ${CTL_PID:-} ]] || kill "$CTL_PID" 2>/dev/null || true
    if [[ -n ${KEEP:-} ]]; then
        echo "kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/home" "$tmp/state1" "$tmp/state2/kanbao" "$tmp/config" "$tmp/cache"
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state1 XDG_CONFIG_HOME=$tmp/config
export XDG_CACHE_HOME=$tmp/cache LC_ALL=C.UTF-8 TERM=xterm-256color
unset KANBAO_CONFIG NO_COLOR TMUX
export LOOP_BIN=$bin LOOP_CONFIG=$config
pane='exec "$LOOP_BIN" --config "$LOOP_CONFIG"'

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(tmux -V)"
echo "== archive: $archive"
# Builds the index in the temporary cache; lists every article in order:
# id, feed, date, and the first line of its head (the kicker if it has
# one, else the headline: what the reader pane's first row shows),
# tab-separated.
"$bin" --config "$config" list --json | awk '
    /^      "id": /    { id = $2; kicker = "" }
    /^      "feed": /  { feed = $2 }
    /^      "date": /  { date = $2 }
    /^      "kicker": "/ { kicker = $0; sub(/^      "kicker": "/, "", kicker); sub(/",$/, "", kicker) }
    /^      "title": / {
        sub(/^      "title": "/, ""); sub(/",$/, "")
        gsub(/[",]/, "", id); gsub(/[",]/, "", feed); gsub(/[",]/, "", date)
        print id "\t" feed "\t" date "\t" (kicker != "" ? kicker : $0)
    }' >"$tmp/articles.tsv"
mapfile -t listed <"$tmp/articles.tsv"
((${#listed[@]} == articles)) || die "expected $articles articles, kanbao list has ${#listed[@]}"
IFS=$'\t' read -r _ first_feed newest title0 <<<"${listed[0]}"
IFS=$'\t' read -r _ _ _ title1 <<<"${listed[1]}"
[[ ${title0:0:8} != "${title1:0:8}" ]] || die "the first two headlines start alike: $title0 / $title1"
# The first feed's newest date: its articles, then the next date's first.
next=1
while IFS=$'\t' read -r _ feed date _ <<<"${listed[next]}" && [[ $feed == "$first_feed" && $date == "$newest" ]]; do
    next=$((next + 1))
done
IFS=$'\t' read -r _ feed next_date _ <<<"${listed[next]}"
[[ $feed == "$first_feed" ]] || die "the first feed has one date"
echo "$next articles of $first_feed on $newest; the next date is $next_date"
{
    printf '{"version": 1, "starred": [], "read": ['
    for ((i = 1; i < next; i++)); do
        IFS=$'\t' read -r id _ <<<"${listed[i]}"
        printf '%s"%s"' "$( ((i > 1)) && echo ,)" "$id"
    done
    printf ']}\n'
} >"$tmp/state2/kanbao/state.json"

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
                [[ $line == %error* ]] && die "tmux: $reply"
                return 0
            fi
            ;;
        *) ((inside)) && reply+=${reply:+$'\n'}$line ;;
        esac
    done
    die "no answer from tmux"
}
tmux_cmd() {
    printf '%s\n' "$1" >&"$to_tmux"
    read_reply
}
read_reply # the reply to `attach`
tmux_cmd 'refresh-client -f no-output'

# Pauses: a read that times out, on a FIFO nobody writes (no fork).
mkfifo "$tmp/never"
exec {never}<>"$tmp/never"
pause() { read -r -t "$1" -u "$never" _ || true; }

us() { printf -v "$1" '%d' "$((10#${2/./}))"; }
ms() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }

session=
# row N: the text of screen row N, in $reply.
row() { tmux_cmd "capture-pane -p -t $session -S $1 -E $1"; }
status_row=$((height - 1))

# wait_row ROW PATTERN [WHAT]: polls until row ROW matches the glob
# PATTERN, for at most 20 s.
wait_row() {
    local i
    for ((i = 0; i < 20000; i++)); do
        row "$1"
        # shellcheck disable=SC2053
        [[ $reply == $2 ]] && return 0
        pause 0.001
    done
    die "$session: row $1 never showed ${3:-$2}; it shows: $reply"
}

# press KEYS ROW PATTERN LABEL: sends KEYS (send-keys arguments), times
# until row ROW matches PATTERN; appends to the arrays times_LABEL and
# res_LABEL.
declare -A seen_labels=()
labels=()
press() {
    local keys=$1 at=$2 pattern=$3 label=$4 sent before after polls=0 t
    pause 0.05
    us sent "$EPOCHREALTIME"
    tmux_cmd "send-keys -t $session $keys"
    before=$sent
    while :; do
        us t "$EPOCHREALTIME"
        row "$at"
        us after "$EPOCHREALTIME"
        polls=$((polls + 1))
        # shellcheck disable=SC2053
        [[ $reply == $pattern ]] && break
        before=$t
        ((after - sent < 20000000)) || die "$session: $label: row $at never showed $pattern; it shows: $reply"
        pause 0.0005
    done
    if [[ -z ${seen_labels[$label]:-} ]]; then
        seen_labels[$label]=1
        labels+=("$label")
        declare -g -a "times_$label=()" "res_$label=()"
    fi
    local -n times=times_$label res=res_$label
    times+=($((after - sent)))
    res+=($((after - before)))
    [[ -n ${VERBOSE:-} ]] && echo "$label: $(ms $((after - sent))) ms, $polls polls" >&2
    return 0
}

median() { # values in µs → the median in $1's variable
    local -n out=$1
    shift
    local sorted
    mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
    local n=${#sorted[@]}
    out=$(((sorted[(n - 1) / 2] + sorted[n / 2]) / 2))
}

pid=
start_reader() { # $1: session name, $2: XDG_STATE_HOME
    session=$1
    tmux_cmd "new-session -d -s $session -x $width -y $height -e XDG_STATE_HOME=$2 '$pane'"
    wait_row "$status_row" '*q quit*' "the first frame"
    tmux_cmd "display-message -p -t $session '#{pane_pid}'"
    pid=$reply
    # The index refresh runs on worker threads: wait until only the main
    # thread, the signal watcher and the inbox (which wakes the loop with
    # the workers' answers) are left, then for the loop to take the
    # result (it looks every 50 ms while indexing).
    local i comm busy
    for ((i = 0; i < 6000; i++)); do
        busy=0
        for comm in /proc/"$pid"/task/*/comm; do
            # A thread may end between the listing and the read.
            { read -r name <"$comm"; } 2>/dev/null || continue
            [[ $name == kanbao || $name == signals || $name == inbox ]] || busy=1
        done
        ((busy)) || break
        pause 0.01
    done
    ((busy == 0)) || die "$session: the index refresh did not end"
    pause 0.3
    row "$status_row"
    [[ $reply != *indexing* ]] || die "$session: still indexing: $reply"
}

peak() { # the reader's VmHWM and VmRSS, in MiB
    local line hwm=0 rss=0
    while IFS= read -r line; do
        case $line in
        VmHWM:*) hwm=${line//[!0-9]/} ;;
        VmRSS:*) rss=${line//[!0-9]/} ;;
        esac
    done <"/proc/$pid/status"
    printf 'peak RSS %d.%d MiB (now %d.%d MiB)' $((hwm / 1024)) $((hwm * 10 / 1024 % 10)) \
        $((rss / 1024)) $((rss * 10 / 1024 % 10))
}

# The reader pane's first row shows the headline of the article
# previewed: the text after the last "│" starts with it, after the
# margin that centres the measure ([ui] measure) in a wide pane.
headline_row() { printf '*│ *%s*' "${1:0:8}"; }

echo
echo "== reader 1: no read marks"
start_reader one "$tmp/state1"
tmux_cmd "capture-pane -p -t one"
screen=$reply
mapfile -t dayrows < <(grep -E '^ [▾▸] [0-9]{4}-[0-9]{2}-[0-9]{2} ' <<<"$screen")
[[ ${dayrows[0]} == " ▾ $newest "* ]] || die "the first date row is not the newest date, open: ${dayrows[0]}"
# A large paper's open date (its sections) may leave room for a few.
((${#dayrows[@]} >= 2)) || die "only ${#dayrows[@]} date rows on screen"
for r in "${dayrows[@]:1}"; do
    [[ $r == " ▸ "* ]] || die "an older date is open: $r"
done
echo "tree: $newest open, the ${#dayrows[@]} other dates on screen folded"
row "$status_row"
feed_title=${reply# }
feed_title=${feed_title%% · *}
echo "$(peak): after start and the index refresh"
for ((i = 0; i < runs; i++)); do
    press j 1 "$(headline_row "$title1")" j
    press k 1 "$(headline_row "$title0")" k
done
for ((i = 0; i < runs; i++)); do
    press A "$status_row" ' marked * read*' A
    press Escape "$status_row" ' undone: * unread again*' Esc
done
for ((i = 0; i < runs; i++)); do
    date=${dates[i % 2]}
    pause 0.05
    tmux_cmd "send-keys -t one :"
    wait_row "$status_row" ' jump to date: ▏*'
    tmux_cmd "send-keys -t one -l $date"
    wait_row "$status_row" " jump to date: $date▏*"
    press Enter "$status_row" " $date · * 篇, * unread*" jump
done
# The whole first feed: g goes to the top of the tree, the feed's row.
tmux_cmd "send-keys -t one g"
wait_row 0 "*│$feed_title · * 篇*" "the first feed selected"
for ((i = 0; i < runs; i++)); do
    press A "$status_row" ' marked * read*' A_feed
    press Escape "$status_row" ' undone: * unread again*' Esc_feed
done
# Search as you type (issue 15): `/`, then 创新平台 a character at a time,
# each timed until the status line shows the query with it (the hits are
# drawn in the same frame); Esc clears the search.
query=创新平台
for ((i = 0; i < runs; i++)); do
    pause 0.05
    tmux_cmd "send-keys -t one /"
    wait_row "$status_row" ' /▏*'
    for ((c = 1; c <= ${#query}; c++)); do
        press "-l ${query:c-1:1}" "$status_row" " /${query:0:c}▏*" "slash$c"
    done
    tmux_cmd "send-keys -t one Escape"
    wait_row "$status_row" '*q quit*'
    pause 0.05
    tmux_cmd "send-keys -t one Escape"
done
echo "$(peak): reader 1 at the end"
tmux_cmd "kill-session -t one"

echo
echo "== reader 2: $((next - 1)) articles of $newest read"
start_reader two "$tmp/state2"
echo "$(peak): after start and the index refresh"
for ((i = 0; i < runs; i++)); do
    press u "$status_row" "* · $next_date *" u
    press U "$status_row" "* · $newest *" U
done
for ((i = 0; i < runs; i++)); do
    press v "$status_row" ' showing the * unread only*' v_unread
    press v "$status_row" ' showing the * starred only*' v_starred
    press v "$status_row" ' showing all * articles*' v_all
done
echo "$(peak): reader 2 at the end"
tmux_cmd "kill-session -t two"

echo
echo "== key to answer on screen, $runs presses each (ms; upper bound, and the median resolution)"
printf '%-10s %8s %8s %8s %11s\n' key min median max resolution
for label in "${labels[@]}"; do
    declare -n t=times_$label r=res_$label
    median med "${t[@]}"
    median rmed "${r[@]}"
    mapfile -t sorted < <(printf '%s\n' "${t[@]}" | sort -n)
    printf '%-10s %8s %8s %8s %11s\n' "${label/_/ }" "$(ms "${sorted[0]}")" "$(ms "$med")" \
        "$(ms "${sorted[${#sorted[@]} - 1]}")" "$(ms "$rmed")"
    unset -n t r
done

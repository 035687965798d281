#!/usr/bin/env bash
# Index and search on a large synthetic archive (issue 6), end to end with
# the release binary.
#
#   bash benches/archive.sh          # 100,000 articles
#   bash benches/archive.sh 5000     # any number of articles
#   SHAPE="--pages-per-issue 16-24 --articles-per-page 4-8" \
#       bash benches/archive.sh 1000000  # a national daily's issues
#
# Needs bash 5 (for $EPOCHREALTIME) and GNU find; uses hyperfine when it is
# installed, GNU time for peak memory when it is installed, and tmux (3.2
# or later) for the reader's memory and launch time (skipped without it).
# See benches/README.md, "Index and search (issue 6)".
#
# In a temporary folder (under $TMPDIR, else /tmp; removed on exit unless
# KEEP=1), it:
#
# 1. writes an archive of N articles (seed 1, 3 feeds, and the options of
#    $SHAPE: by default a local daily's 4-8 pages of 3-6 articles, 27
#    articles a day) with
#    `cargo run --release --example synth-archive`, and counts its source
#    bytes (the page files' sizes; `du -sb` is shown too, which also counts
#    the folders);
# 2. indexes it cold, COLD_RUNS times (default 3), each time into an empty
#    cache: `kanbao search 创新高地 --limit 0`, the whole command (walk,
#    read and parse every page, write the index, load it, search), timed,
#    and its MB/s of source text; then the same command on the warm index,
#    so that the difference is the indexing;
# 3. times, RUNS times each (default 10) after one untimed run, on the
#    warm index: `kanbao list --json | wc -l`, `kanbao search Q --limit 20`
#    for 科技, 院士, 创新平台, 创新高地 and 院, `search 院士 --json` (20 hits
#    and the count), `--fresh search 院士` (every file's size and time
#    compared), `kanbao show ID` of the middle article, `list --json
#    --limit 100` and an unchanged refresh (`search 㐀`, which no article
#    holds); then one day's edition added (8 pages copied into a new date
#    folder) and indexed by `search 㐀`, RUNS times, removed after each; with hyperfine if installed, else in a loop reading
#    $EPOCHREALTIME (min / median / max);
# 4. measures peak RSS (VmHWM) of the cold run, `list --json`, `search 科技`
#    and `show`, with GNU time's %M, else Python's getrusage, else by
#    reading /proc/PID/status while the command runs (a lower bound); and
#    of the reader: started in a 200×60 tmux pane,
#    once its index refresh (on a worker thread) is done, and again after
#    searching 科技 in it (`/`, typed, Enter);
# 5. runs benches/launch.sh on this archive (LAUNCH_RUNS times, default 10)
#    for launch to first frame, through its KANBAO_LAUNCH_CONFIG and
#    KANBAO_LAUNCH_HEADLINE.
#
# HOME, XDG_CACHE_HOME (the index), XDG_STATE_HOME and XDG_CONFIG_HOME
# point into the temporary folder; LC_ALL=C.UTF-8. The page files stay in
# the page cache (they were just written): "cold" means no index, not a
# cold disk.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
articles=${1:-100000}
runs=${RUNS:-10}
cold_runs=${COLD_RUNS:-3}
launch_runs=${LAUNCH_RUNS:-10}

die() {
    echo "archive.sh: $*" >&2
    exit 1
}
[[ $articles =~ ^[1-9][0-9]*$ ]] || die "give the number of articles, e.g. 100000"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later"
have() { command -v "$1" >/dev/null 2>&1; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin kanbao --example synth-archive
bin=$root/target/release/kanbao
synth=$root/target/release/examples/synth-archive

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kanbao-archive.XXXXXX")
sock=$tmp/tmux.sock
cleanup() {
    if have tmux; then tmux -S "$sock" kill-server 2>/dev/null || true; fi
    if [[ -n ${KEEP:-} ]]; then
        echo "kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/home" "$tmp/state" "$tmp/config" "$tmp/cache"
home=$HOME # for launch.sh's cargo (rustup finds its toolchains from HOME)
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export XDG_CACHE_HOME=$tmp/cache LC_ALL=C.UTF-8 TERM=xterm-256color
unset KANBAO_CONFIG NO_COLOR TMUX
archive=$tmp/archive
config=$archive/config.toml
kb=("$bin" --config "$config")

# Microseconds since the epoch in the variable named $1, from $2.
us() { printf -v "$1" '%d' "$((10#${2/./}))"; }
ms() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }
stats() { # label, then values in µs: min / median / max in ms
    local label=$1
    shift
    local sorted
    mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
    local n=${#sorted[@]}
    local median=$(((sorted[(n - 1) / 2] + sorted[n / 2]) / 2))
    printf 'min %9s  median %9s  max %9s ms  %s\n' \
        "$(ms "${sorted[0]}")" "$(ms "$median")" "$(ms "${sorted[n - 1]}")" "$label"
}

# timeit LABEL COMMAND: runs the shell command RUNS times after one
# untimed run; prints min / median / max.
timeit() {
    local label=$1 command=$2
    if have hyperfine; then
        local csv=$tmp/hyperfine.csv
        hyperfine --style none --shell bash --warmup 1 --runs "$runs" \
            --command-name "$label" --export-csv "$csv" "$command" >/dev/null 2>"$tmp/hyperfine.err" || {
            cat "$tmp/hyperfine.err" >&2
            die "hyperfine failed on: $command"
        }
        # command,mean,stddev,median,user,system,min,max (seconds); the
        # name has no comma, so count the fields from the end.
        tail -n 1 "$csv" | awk -F, -v label="$label" '{
            printf "min %9.2f  median %9.2f  max %9.2f ms  %s (hyperfine)\n",
                $(NF - 1) * 1000, $(NF - 4) * 1000, $NF * 1000, label }'
        return
    fi
    local times=() start end i
    eval "$command"
    for ((i = 0; i < runs; i++)); do
        us start "$EPOCHREALTIME"
        eval "$command"
        us end "$EPOCHREALTIME"
        times+=($((end - start)))
    done
    stats "$label" "${times[@]}"
}

# peak COMMAND...: the command's peak resident set (VmHWM) in kB, its
# output thrown away: from GNU time's %M, else Python's getrusage, else by
# reading /proc/PID/status while it runs (a lower bound: a short command
# can grow between the last read and its exit).
peak_tool=proc
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    peak_tool=time
elif have python3 && python3 -c 'import resource' 2>/dev/null; then
    peak_tool=python3
fi
peak() {
    case $peak_tool in
    time)
        /usr/bin/time -f %M -o "$tmp/peak" "$@" >/dev/null
        tail -n 1 "$tmp/peak"
        ;;
    python3)
        python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
        ;;
    proc)
        "$@" >/dev/null &
        local pid=$! hwm=0 line
        # VmHWM only grows; once the process has exited its line is gone,
        # so the last one read is kept.
        while kill -0 "$pid" 2>/dev/null; do
            while IFS= read -r line; do
                [[ $line == VmHWM:* ]] && hwm=${line//[!0-9]/}
            done 2>/dev/null <"/proc/$pid/status" || true
        done
        wait "$pid"
        echo "$hwm"
        ;;
    esac
}
mib() { printf '%d.%d MiB' $(($1 / 1024)) $(($1 * 10 / 1024 % 10)); } # from kB (KiB)

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(HOME=$home rustc --version)"
echo "== archive: $articles articles (seed 1, 3 feeds${SHAPE:+, $SHAPE}) in $archive"
us start "$EPOCHREALTIME"
# shellcheck disable=SC2086 # $SHAPE is a list of options
"$synth" --articles "$articles" --seed 1 --feeds 3 ${SHAPE:-} "$archive" >/dev/null
us end "$EPOCHREALTIME"
files=$(find "$archive/feeds" -type f -name '*.txt' | wc -l)
bytes=$(find "$archive/feeds" -type f -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
du_bytes=$(du -sb "$archive/feeds" | cut -f1)
echo "written in $(ms $((end - start))) ms: $files page files, $bytes bytes of source text (du -sb: $du_bytes)"

echo
echo "== cold index: kanbao search 创新高地 --limit 0, into an empty cache"
cold_cmd=("${kb[@]}" search 创新高地 --limit 0)
colds=()
for ((i = 1; i <= cold_runs; i++)); do
    rm -rf "$XDG_CACHE_HOME/kanbao"
    sync
    us start "$EPOCHREALTIME"
    "${cold_cmd[@]}" >/dev/null
    us end "$EPOCHREALTIME"
    colds+=($((end - start)))
    echo "run $i: $(ms $((end - start))) ms, $((bytes / (end - start))) MB/s of source text"
done
stats "cold, whole command" "${colds[@]}"
warms=()
"${cold_cmd[@]}" >/dev/null
for ((i = 1; i <= cold_runs; i++)); do
    us start "$EPOCHREALTIME"
    "${cold_cmd[@]}" >/dev/null
    us end "$EPOCHREALTIME"
    warms+=($((end - start)))
done
stats "the same, warm" "${warms[@]}"
mapfile -t sorted_cold < <(printf '%s\n' "${colds[@]}" | sort -n)
mapfile -t sorted_warm < <(printf '%s\n' "${warms[@]}" | sort -n)
cold_median=${sorted_cold[(cold_runs - 1) / 2]}
warm_median=${sorted_warm[(cold_runs - 1) / 2]}
echo "median: whole command $((bytes / cold_median)) MB/s; indexing alone (cold - warm)" \
    "$(ms $((cold_median - warm_median))) ms, $((bytes / (cold_median - warm_median))) MB/s"
rm -rf "$XDG_CACHE_HOME/kanbao"
sync
cold_peak=$(peak "${cold_cmd[@]}")
echo "peak RSS of a cold run: $(mib "$cold_peak")"
index_bytes=$(du -sb "$XDG_CACHE_HOME/kanbao" | cut -f1)
echo "index: $index_bytes bytes ($((index_bytes * 100 / bytes))% of the source text)"

echo
echo "== warm index, $runs runs each"
lines=$("${kb[@]}" list --json | wc -l)
mapfile -t ids < <("${kb[@]}" list --json | grep -o '^      "id": "[0-9a-f]*"' | cut -d'"' -f4)
middle=${ids[${#ids[@]} / 2]}
echo "kanbao list --json: $lines lines, ${#ids[@]} articles; middle article $middle"
timeit "list --json | wc -l" "\"$bin\" --config \"$config\" list --json | wc -l >/dev/null"
for q in 科技 院士 创新平台 创新高地 院; do
    count=$("${kb[@]}" search "$q" --limit 0 | head -n 1)
    timeit "search $q --limit 20" "\"$bin\" --config \"$config\" search $q --limit 20 >/dev/null"
    echo "    ($count)"
done
timeit "search 院士 --json" "\"$bin\" --config \"$config\" search 院士 --json >/dev/null"
timeit "--fresh search 院士" "\"$bin\" --config \"$config\" --fresh search 院士 >/dev/null"
timeit "show $middle" "\"$bin\" --config \"$config\" show $middle >/dev/null"
timeit "list --json --limit 100" "\"$bin\" --config \"$config\" list --json --limit 100 >/dev/null"
# A search for a character no article holds costs what its refresh costs:
# the whole process of an unchanged refresh.
absent=㐀
timeit "unchanged refresh (search $absent)" "\"$bin\" --config \"$config\" search $absent >/dev/null"

echo
echo "== adding one day's edition: 8 pages in a new date folder, then search $absent"
# The pages are copies of the first feed's first 8 page files, numbered
# 01 to 08; each run adds them under a new date, times the command that
# indexes them, then removes them again (and indexes that, untimed).
feed_dir=$(find "$archive/feeds" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)
mapfile -t edition < <(find "$feed_dir" -mindepth 2 -maxdepth 2 -type f -name '*.txt' | sort | head -n 8)
adds=()
for ((i = 1; i <= runs; i++)); do
    new_day=$feed_dir/2099-01-$(printf '%02d' "$i")
    mkdir "$new_day"
    for ((p = 0; p < ${#edition[@]}; p++)); do
        name=${edition[p]##*/}
        cp "${edition[p]}" "$new_day/$(printf '%02d' $((p + 1)))-${name#*-}"
    done
    us start "$EPOCHREALTIME"
    "${kb[@]}" search "$absent" >/dev/null
    us end "$EPOCHREALTIME"
    adds+=($((end - start)))
    rm -rf "$new_day"
    "${kb[@]}" search "$absent" >/dev/null
done
stats "${#edition[@]} pages added, the whole command that indexes them" "${adds[@]}"

echo
echo "== peak RSS (VmHWM), measured with: $peak_tool"
echo "$(mib "$(peak "${kb[@]}" list --json)")  list --json"
echo "$(mib "$(peak "${kb[@]}" search 科技 --limit 20)")  search 科技 --limit 20"
echo "$(mib "$(peak "${kb[@]}" search 院士)")  search 院士"
echo "$(mib "$(peak "${kb[@]}" search 创新平台)")  search 创新平台"
echo "$(mib "$(peak "${kb[@]}" --fresh search 院士)")  --fresh search 院士"
echo "$(mib "$(peak "${kb[@]}" show "$middle")")  show $middle"
echo "$(mib "$(peak "${kb[@]}" list --json --limit 100)")  list --json --limit 100"

if ! have tmux; then
    echo
    echo "== no tmux: the reader's memory and launch time are not measured"
    exit 0
fi

echo
echo "== the reader in a 200×60 tmux pane"
tmux -S "$sock" -f /dev/null new-session -d -s reader -x 200 -y 60 \
    "exec \"$bin\" --config \"$config\""
# wait_for TEXT [ABSENT]: until the pane shows TEXT (and not ABSENT).
wait_for() {
    local i screen
    for ((i = 0; i < 1200; i++)); do
        screen=$(tmux -S "$sock" capture-pane -p -t reader)
        if [[ $screen == *"$1"* && ( -z ${2:-} || $screen != *"$2"* ) ]]; then
            return 0
        fi
        sleep 0.05
    done
    die "the reader never showed \"$1\""
}
vm() { # VmHWM and VmRSS of the reader, in MB
    local pid hwm rss
    pid=$(tmux -S "$sock" display-message -p -t reader '#{pane_pid}')
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    echo "peak $(mib "$hwm"), now $(mib "$rss")"
}
wait_for 'q quit' 'indexing'
sleep 2
echo "$(vm): after start and the index refresh"
tmux -S "$sock" send-keys -t reader / 科技 Enter
wait_for '篇 · /科技'
sleep 1
echo "$(vm): after searching 科技"
tmux -S "$sock" kill-server

echo
echo "== launch to first frame: benches/launch.sh, $launch_runs runs"
title=$("${kb[@]}" list --json | grep -m1 '^      "title": ' | cut -d'"' -f4)
headline=${title%% *}
headline=${headline:0:8}
HOME=$home KANBAO_LAUNCH_CONFIG=$config KANBAO_LAUNCH_HEADLINE=$headline RUNS=$launch_runs \
    bash "$root/benches/launch.sh"

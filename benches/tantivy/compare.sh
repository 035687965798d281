#!/usr/bin/env bash
# kanbao's own index against tantivy on the same archive (issue 15, "Own
# index or tantivy"), as whole processes, the two sides interleaved.
#
#   bash benches/tantivy/compare.sh ARCHIVE [WORK]
#
# ARCHIVE is a kanbao archive of page files (ARCHIVE/config.toml,
# ARCHIVE/feeds/…), e.g. one written by
# `cargo run --release --example synth-archive -- --articles 100000 DIR`;
# it is only read. WORK (default: a new folder under $TMPDIR, else /tmp) holds
# both indexes and kanbao's HOME, XDG_CACHE_HOME, XDG_STATE_HOME and
# XDG_CONFIG_HOME; it is removed at the end unless KEEP=1.
#
# RUNS (default 5) runs of each measurement per side (BUILD_RUNS, default
# RUNS, of the cold build), alternating kanbao and tantivy; medians (and min–max) are printed. Wall clock is read from
# $EPOCHREALTIME around the process, peak RSS from GNU time's %M (both
# sides pay the same time(1) wrapper). Measured:
#
# 1. cold build: kanbao `search 院士` into an empty cache (walk, read and
#    parse every page, write the index, then the search: the search is
#    ~0.1 s of it) against `kanbao-tantivy index` into an empty folder
#    (walk, read and parse every page with kanbao's parser, index, commit,
#    wait for merges); time, MB/s of source (the page files' sizes), peak RSS;
# 2. index size on disk (du -sb) against the source size;
# 3. cold start: the first `search 院士` after the index's files were
#    dropped from the page cache (dd iflag=nocache on each file; the
#    archive's folders stay cached);
# 4. warm search, whole process: `kanbao --config ARCHIVE/config.toml
#    search Q` (20 hits and the count) against `kanbao-tantivy search DIR
#    Q` (top 20 by BM25 and the count) for 院, 院士 and 创新平台, after one
#    untimed run; the counts of both are printed, and must agree.
#
# Needs bash 5, GNU time at /usr/bin/time, GNU find and dd, cargo.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
build_runs=${BUILD_RUNS:-$runs}
queries=(院 院士 创新平台)

die() {
    echo "compare.sh: $*" >&2
    exit 1
}
[[ $# -ge 1 ]] || die "usage: compare.sh ARCHIVE [WORK]"
archive=$(cd "$1" && pwd)
config=$archive/config.toml
[[ -f $config ]] || die "$config: no such file"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time"

cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin kanbao
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
kanbao_target=${CARGO_TARGET_DIR:-$root/target}
tantivy_target=${CARGO_TARGET_DIR:-$here/target}
kanbao=$kanbao_target/release/kanbao
tv=$tantivy_target/release/kanbao-tantivy

if [[ $# -ge 2 ]]; then
    work=$2
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/kanbao-tantivy.XXXXXX")
fi
cleanup() {
    if [[ -n ${KEEP:-} ]]; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/home" "$work/state" "$work/config" "$work/cache"
export HOME=$work/home XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
export XDG_CACHE_HOME=$work/cache LC_ALL=C.UTF-8
unset KANBAO_CONFIG NO_COLOR
tindex=$work/tantivy
kb=("$kanbao" --config "$config")

# Microseconds since the epoch in the variable named $1, from $2.
us() { printf -v "$1" '%d' "$((10#${2/./}))"; }
ms() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
mib() { printf '%d' $((($1 + 512) / 1024)); } # kB to MiB
median() {
    local sorted
    mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
    local n=${#sorted[@]}
    echo $(((sorted[(n - 1) / 2] + sorted[n / 2]) / 2)) "${sorted[0]}" "${sorted[n - 1]}"
}

# run NAME COMMAND...: runs the command once, its output to $work/out,
# and appends its wall time (µs) and peak RSS (kB) to the lists named
# NAME_t and NAME_m.
run() {
    local name=$1 start end
    shift
    us start "$EPOCHREALTIME"
    /usr/bin/time -f %M -o "$work/peak" "$@" >"$work/out"
    us end "$EPOCHREALTIME"
    local -n times=${name}_t mems=${name}_m
    times+=($((end - start)))
    mems+=("$(tail -n 1 "$work/peak")")
}

# report LABEL NAME [BYTES]: median (min–max) of NAME's times and peak
# RSS, and MB/s of BYTES at the median time.
report() {
    local label=$1 name=$2 bytes=${3:-}
    local -n times=${name}_t mems=${name}_m
    local t m
    read -r -a t < <(median "${times[@]}")
    read -r -a m < <(median "${mems[@]}")
    local rate=""
    [[ -n $bytes ]] && rate=", $((bytes / t[0])) MB/s"
    printf '%-34s %9s ms (%s–%s)%s, peak RSS %s MiB (%s–%s)\n' "$label" \
        "$(ms "${t[0]}")" "$(ms "${t[1]}")" "$(ms "${t[2]}")" "$rate" \
        "$(mib "${m[0]}")" "$(mib "${m[1]}")" "$(mib "${m[2]}")"
}

# Drops every file below $1 from the page cache.
evict() { find "$1" -type f -exec dd if={} iflag=nocache count=0 status=none \; ; }

kcache() { echo "$XDG_CACHE_HOME/kanbao"; }

files=$(find "$archive/feeds" -type f -name '*.txt' | wc -l)
bytes=$(find "$archive/feeds" -type f -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== archive: $files page files, $bytes bytes of page text; $runs runs per figure ($build_runs of the build)"
echo

echo "== cold build (empty index)"
kbuild_t=() kbuild_m=() tbuild_t=() tbuild_m=()
for ((i = 1; i <= build_runs; i++)); do
    rm -rf "$(kcache)"
    sync
    run kbuild "${kb[@]}" search 院士
    echo "kanbao  run $i: $(ms "${kbuild_t[-1]}") ms, $(mib "${kbuild_m[-1]}") MiB"
    rm -rf "$tindex"
    sync
    run tbuild "$tv" index "$config" "$tindex"
    echo "tantivy run $i: $(ms "${tbuild_t[-1]}") ms, $(mib "${tbuild_m[-1]}") MiB: $(cat "$work/out")"
done
report "kanbao cold build + search 院士" kbuild "$bytes"
report "tantivy cold build" tbuild "$bytes"
echo

echo "== size on disk"
ksize=$(du -sb "$(kcache)" | cut -f1)
tsize=$(du -sb "$tindex" | cut -f1)
echo "source       $bytes bytes"
echo "kanbao       $ksize bytes, $((ksize * 1000 / bytes / 10))% of the source ($(find "$(kcache)" -type f | wc -l) files)"
echo "tantivy      $tsize bytes, $((tsize * 1000 / bytes / 10))% of the source ($(find "$tindex" -type f | wc -l) files)"
echo

echo "== cold start: search 院士 with the index's files out of the page cache"
kcold_t=() kcold_m=() tcold_t=() tcold_m=()
for ((i = 1; i <= runs; i++)); do
    evict "$(kcache)"
    run kcold "${kb[@]}" search 院士
    evict "$tindex"
    run tcold "$tv" search "$tindex" 院士
done
report "kanbao search 院士, cold" kcold
report "tantivy search 院士, cold" tcold
echo

echo "== warm search, whole process"
for q in "${queries[@]}"; do
    ks_t=() ks_m=() ts_t=() ts_m=()
    "${kb[@]}" search "$q" >/dev/null
    "$tv" search "$tindex" "$q" >/dev/null
    for ((i = 1; i <= runs; i++)); do
        run ks "${kb[@]}" search "$q"
        kcount=$(head -n 1 "$work/out")
        run ts "$tv" search "$tindex" "$q"
        tcount=$(head -n 1 "$work/out")
    done
    echo "$q: kanbao \"$kcount\", tantivy \"$tcount\""
    report "kanbao search $q" ks
    report "tantivy search $q" ts
done

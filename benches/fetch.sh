#!/usr/bin/env bash
# `kanbao fetch` of a 5,000-item web feed as a whole process (issue 15),
# end to end with the release binary.
#
#   bash benches/fetch.sh
#   RUNS=9 BIN=path/to/other/kanbao bash benches/fetch.sh
#   BIG_XML=path/to/big.xml bash benches/fetch.sh   # the peers' feed
#
# Needs bash 5 (for $EPOCHREALTIME), Python 3 (the feed and its loopback
# server) and GNU time (/usr/bin/time, for peak RSS; without it RSS is not
# shown). See benches/README.md, "Ingest of a 5,000-item feed (issue 15)".
#
# In a temporary folder (under $TMPDIR, else /tmp; removed on exit unless
# KEEP=1), it:
#
# 1. writes the feed, unless BIG_XML names one: RSS 2.0, 5,000 items built
#    from the sample page the way the peers' `big.xml` is (its paragraphs,
#    1–2 per item and a caption on every third, titles from its heads, a
#    non-permalink guid, dates one minute apart from 2023-03-10 08:00
#    +08:00, so five days), about 7.9 MB;
# 2. serves it on 127.0.0.1 (a port the system picks);
# 3. times RUNS (default 7) runs of each case, after one untimed run:
#    - first: `kanbao fetch` into a new, empty store folder (each run its
#      own, all kept until the end, so that no deletion is measured);
#    - after delete: a store of 5,000 files is made and deleted
#      (`rm -rf`) right before `kanbao fetch` into the same folder: ext4
#      without a journal skips every inode freed in the last minute when
#      it creates a file (see "File-system state" in benches/README.md);
#    and prints min / median / max wall clock (exec to exit, read from
#    $EPOCHREALTIME), the median peak RSS (GNU time's %M) and the median
#    CPU time (user + system, %U + %S: on a busy machine the wall clock
#    also counts waiting for a core).
#
# BIN is the binary to time (default: target/release/kanbao, built).
# HOME and the XDG folders point into the temporary folder.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-7}

die() {
    echo "fetch.sh: $*" >&2
    exit 1
}
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a number of runs, e.g. 7"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later"
command -v python3 >/dev/null 2>&1 || die "needs python3 for the feed and its server"

if [[ -z ${BIN:-} ]]; then
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin kanbao
    bin=${CARGO_TARGET_DIR:-$root/target}/release/kanbao
else
    bin=$BIN
fi
[[ -x $bin ]] || die "no kanbao binary at $bin"
gnu_time=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    gnu_time=/usr/bin/time
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kanbao-fetch.XXXXXX")
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
    if [[ -n ${KEEP:-} ]]; then
        echo "kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/www" "$tmp/home" "$tmp/stores"

if [[ -n ${BIG_XML:-} ]]; then
    cp "$BIG_XML" "$tmp/www/big.xml"
else
    python3 - "$root/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt" \
        "$tmp/www/big.xml" <<'EOF'
import random, re, sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
heads = [blocks[i] for i in (1, 8, 17, 0, 9, 16)]
body = [blocks[2], blocks[3], blocks[4] + blocks[5], blocks[6] + blocks[7]]
body += blocks[11:16] + [blocks[19], blocks[20]]
captions = blocks[21:27]
base = datetime(2023, 3, 10, 8, 0, tzinfo=timezone(timedelta(hours=8)))
rng = random.Random(218)
items = []
for n in range(5000):
    paras = rng.sample(body, rng.randint(1, 2))
    if n % 3 == 0:
        paras.append(rng.choice(captions))
    desc = "".join("<p>%s</p>" % escape(p) for p in paras)
    guid = "big-%05d" % n
    items.append(
        "<item>\n  <title>%s</title>\n  <link>http://127.0.0.1/%s</link>\n"
        '  <guid isPermaLink="false">%s</guid>\n  <dc:creator>记者</dc:creator>\n'
        "  <category>测试</category>\n  <pubDate>%s</pubDate>\n"
        "  <description><![CDATA[%s]]></description>\n</item>\n"
        % (escape("%s（%d）" % (heads[n % len(heads)], n + 1)), guid, guid,
           format_datetime(base - timedelta(minutes=n)), desc))
open(sys.argv[2], "w", encoding="utf-8").write(
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
    "<channel>\n<title>大缓存测试五千条</title>\n<link>http://127.0.0.1/</link>\n"
    "<description>5,000 items</description>\n%s</channel>\n</rss>\n" % "".join(items))
EOF
fi

python3 - "$tmp/www" "$tmp/port" <<'EOF' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
handler.func.log_message = lambda *args: None
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
open(sys.argv[2] + ".part", "w").write(str(server.server_address[1]))
import os; os.rename(sys.argv[2] + ".part", sys.argv[2])
server.serve_forever()
EOF
server_pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.05; done
[[ -s $tmp/port ]] || die "the loopback server did not start"
url="http://127.0.0.1:$(cat "$tmp/port")/big.xml"
echo "feed: $(wc -c <"$tmp/www/big.xml") bytes, $(grep -c '<item>' "$tmp/www/big.xml") items, $url"
echo "binary: $bin"

# A config per store folder.
config_for() {
    local store=$1
    cat >"$store.toml" <<EOF
[[feeds]]
id = "big"
title = "大缓存测试五千条"
kind = "feed"
url = "$url"
store = "$store"
EOF
    echo "$store.toml"
}

# One timed `kanbao fetch`; prints "seconds kib cpu-seconds".
timed_fetch() {
    local config=$1 start end rss="0 0 0"
    start=$EPOCHREALTIME
    if [[ -n $gnu_time ]]; then
        env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
            XDG_STATE_HOME="$tmp/home/.local/state" XDG_CACHE_HOME="$tmp/home/.cache" \
            "$gnu_time" -f "%M %U %S" -o "$tmp/rss" "$bin" --config "$config" fetch >/dev/null 2>&1 ||
            die "kanbao fetch failed (config $config)"
    else
        env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
            XDG_STATE_HOME="$tmp/home/.local/state" XDG_CACHE_HOME="$tmp/home/.cache" \
            "$bin" --config "$config" fetch >/dev/null 2>&1 ||
            die "kanbao fetch failed (config $config)"
    fi
    end=$EPOCHREALTIME
    [[ -n $gnu_time ]] && rss=$(tail -n 1 "$tmp/rss")
    read -r kib user sys <<<"$rss"
    python3 -c "print(f'{$end - $start:.4f}', $kib, $user + $sys)"
}

# min / median / max seconds, median MiB and CPU seconds of timed_fetch's
# lines.
summary() {
    python3 -c '
import statistics, sys
rows = [l.split() for l in sys.stdin if l.strip()]
t = sorted(float(r[0]) for r in rows)
m = statistics.median(int(r[1]) for r in rows) / 1024
c = statistics.median(float(r[2]) for r in rows)
print(f"{t[0]*1000:.0f} / {statistics.median(t)*1000:.0f} / {t[-1]*1000:.0f} ms"
      f" (min / median / max of {len(t)}), peak RSS {m:.1f} MiB, CPU {c*1000:.0f} ms")'
}

# 5,000 small files, then gone: the state a deleted store leaves.
make_and_delete_files() {
    local folder=$1
    python3 -c '
import os, sys
os.makedirs(sys.argv[1], exist_ok=True)
for n in range(5000):
    with open(os.path.join(sys.argv[1], "item-%05d.txt" % n), "w") as f:
        f.write("+++\nguid = \"%d\"\n+++\n\n正文。\n" % n)
' "$folder"
    sync
    rm -rf "$folder"
}

first=()
timed_fetch "$(config_for "$tmp/stores/warm")" >/dev/null
for n in $(seq "$runs"); do
    first+=("$(timed_fetch "$(config_for "$tmp/stores/first-$n")")")
done
echo "first fetch into an empty store: $(printf '%s\n' "${first[@]}" | summary)"
echo "  stored: $(find "$tmp/stores/first-1" -type f -name '*.txt' | wc -l) files, $(du -sh "$tmp/stores/first-1" | cut -f1)"

deleted=()
config=$(config_for "$tmp/stores/again")
for n in $(seq "$runs"); do
    make_and_delete_files "$tmp/stores/again"
    deleted+=("$(timed_fetch "$config")")
done
echo "fetch right after deleting a 5,000-file store: $(printf '%s\n' "${deleted[@]}" | summary)"

#!/usr/bin/env bash
# Brings up a throwaway coldsweat (a Fever API server: Flask and SQLite,
# MIT, from PyPI) for kanbao's sync tests (issue 19), on 127.0.0.1.
#
#   tests/servers/coldsweat.sh install VENV
#                      a virtual environment with coldsweat (once)
#   tests/servers/coldsweat.sh start VENV PORT DIR EMAIL
#                      a new database in DIR with the user EMAIL and a
#                      password made up here (DIR/password), served on
#                      127.0.0.1:PORT; its PID in DIR/pid
#   tests/servers/coldsweat.sh serve VENV PORT DIR
#                      serve the database in DIR again, after a stop
#   tests/servers/coldsweat.sh subscribe VENV DIR EMAIL URL
#                      subscribe EMAIL to the feed at URL and fetch it
#   tests/servers/coldsweat.sh fetch VENV DIR
#                      fetch every feed now
#
# The caller stops the server by the PID in DIR/pid. coldsweat asks an
# outside service for the icon of a feed that has none: the test feeds
# all carry a square RSS <image> on 127.0.0.1, so nothing leaves
# 127.0.0.0/8.
set -euo pipefail

VERSION=0.10.2

install() {
    local venv=$1
    if [ -x "$venv/bin/flask" ] && "$venv/bin/pip" show coldsweat >/dev/null 2>&1; then
        return 0
    fi
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "coldsweat==$VERSION"
}

# The environment of coldsweat for the instance in DIR.
instance() {
    local venv=$1 dir=$2
    export FLASK_APP=coldsweat
    export FLASK_DATABASE_URL="sqlite:///$dir/coldsweat.db"
    if [ ! -f "$dir/secret" ]; then
        head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$dir/secret"
    fi
    FLASK_SECRET_KEY=$(cat "$dir/secret")
    export FLASK_SECRET_KEY
    FLASK="$venv/bin/flask"
}

start() {
    local venv=$1 port=$2 dir=$3 email=$4
    mkdir -p "$dir"
    instance "$venv" "$dir"
    local pass
    pass=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    "$FLASK" setup "$email" -p "$pass" >"$dir/setup.log" 2>&1
    printf '%s\n' "$pass" >"$dir/password"
    serve "$venv" "$port" "$dir"
}

serve() {
    local venv=$1 port=$2 dir=$3
    instance "$venv" "$dir"
    (exec "$FLASK" run -h 127.0.0.1 -p "$port" >"$dir/server.log" 2>&1) &
    echo $! >"$dir/pid"
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "coldsweat.sh: coldsweat did not answer on 127.0.0.1:$port" >&2
    return 1
}

subscribe() {
    local venv=$1 dir=$2 email=$3 url=$4
    instance "$venv" "$dir"
    local opml="$dir/subscribe.opml"
    cat >"$opml" <<OPML
<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>kanbao test</title></head><body>
<outline text="测试" title="测试" type="rss" xmlUrl="$url"/>
</body></opml>
OPML
    "$FLASK" import "$opml" "$email" -f >>"$dir/setup.log" 2>&1
}

fetch() {
    local venv=$1 dir=$2
    instance "$venv" "$dir"
    "$FLASK" fetch >>"$dir/setup.log" 2>&1
}

case "${1:-}" in
install) install "$2" ;;
start) start "$2" "$3" "$4" "$5" ;;
serve) serve "$2" "$3" "$4" ;;
subscribe) subscribe "$2" "$3" "$4" "$5" ;;
fetch) fetch "$2" "$3" ;;
*) echo "usage: $0 install VENV | start VENV PORT DIR EMAIL | serve VENV PORT DIR | subscribe VENV DIR EMAIL URL | fetch VENV DIR" >&2; exit 2 ;;
esac

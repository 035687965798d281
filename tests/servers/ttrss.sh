#!/usr/bin/env bash
# Brings up a throwaway Tiny Tiny RSS for kanbao's sync tests (issue 19):
# Debian's `tt-rss` package on PostgreSQL, served by `php -S` on 127.0.0.1.
#
#   tests/servers/ttrss.sh install        install the packages (root, once)
#   tests/servers/ttrss.sh start PORT DIR [USER]
#                      serve on 127.0.0.1:PORT with a new USER (default
#                      kanbao) allowed to use the API; writes DIR/pid,
#                      DIR/user and DIR/password (made up here)
#   tests/servers/ttrss.sh serve PORT DIR
#                      serve again (after a stop) without a new user
#   tests/servers/ttrss.sh update         fetch every feed now (update.php)
#
# The caller stops the server by the PID in DIR/pid.
#
# Everything stays on 127.0.0.0/8: the test feeds, their links and icons
# all point to 127.0.0.1, and the URL check that refuses local feeds is
# patched for this instance only (see patch_urlhelper).
set -euo pipefail

TTRSS=/usr/share/tt-rss/www
DB=ttrss

ensure_postgres() {
    if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
        local version
        version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
        pg_ctlcluster "$version" main start
    fi
}

install() {
    if [ -f "$TTRSS/api/index.php" ] && command -v php >/dev/null; then
        ensure_postgres
        return 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql php-cli >/dev/null
    ensure_postgres
    # dbconfig-common's questions, answered: PostgreSQL over the Unix
    # socket with a password of its own for the application's role.
    local app_pass
    app_pass=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    debconf-set-selections <<SEL
tt-rss tt-rss/dbconfig-install boolean true
tt-rss tt-rss/database-type select pgsql
tt-rss tt-rss/pgsql/method select Unix socket
tt-rss tt-rss/pgsql/authmethod-user select password
tt-rss tt-rss/pgsql/app-pass password $app_pass
tt-rss tt-rss/app-password-confirm password $app_pass
tt-rss tt-rss/db/dbname string $DB
tt-rss tt-rss/db/app-user string ttrss
tt-rss tt-rss/reconfigure-webserver multiselect
SEL
    apt-get install -y -qq --no-install-recommends tt-rss php-pgsql >/dev/null
    # The package's own update daemon is not wanted: the tests fetch on
    # demand with `update`.
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl disable --now tt-rss >/dev/null 2>&1 || true
    fi
}

config_file() {
    # Debian keeps the real config.php in /etc/tt-rss.
    if [ -f /etc/tt-rss/config.php ]; then echo /etc/tt-rss/config.php; else echo "$TTRSS/config.php"; fi
}

patch_urlhelper() {
    # "failed extended validation", "resolved to a loopback address":
    # TT-RSS refuses feeds on 127.*, localhost and ports other than 80/443.
    # The test feeds live on 127.0.0.1 and a high port, so for this test
    # instance those checks are switched off (each rewrite marked, so that
    # running this again changes nothing).
    python3 - "$TTRSS/classes/urlhelper.php" <<'PY'
import sys
path = sys.argv[1]
src = open(path, encoding="utf-8").read()
rewrites = [
    ("if ($extended_filtering)", "if (false && $extended_filtering) /* kanbao-test */"),
    ('strpos($ip_addr, "127.") === 0', 'false /* kanbao-test */'),
    ('strpos($fetch_effective_ip_addr, "127.") === 0', 'false /* kanbao-test */'),
    # build_url drops the port, which sends every fetch to port 80.
    ("""$tmp = $parts['scheme'] . "://" . $parts['host'];""",
     """$tmp = $parts['scheme'] . "://" . $parts['host'] . (isset($parts['port']) ? ":" . $parts['port'] : "") /* kanbao-test */;"""),
]
for old, new in rewrites:
    if old not in src and new not in src:
        sys.exit(f"urlhelper.php: cannot find {old!r} to patch")
    src = src.replace(old, new)
open(path, "w", encoding="utf-8").write(src)
PY
}

start() {
    local port=$1 dir=$2 user=${3:-kanbao}
    mkdir -p "$dir"
    ensure_postgres
    patch_urlhelper
    # A user with API access; this version has no command for users. The
    # password is made up here and kept only in DIR.
    local pass salt hash
    pass=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    salt=$(head -c 125 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 250)
    hash="MODE2:$(printf '%s' "$salt$pass" | sha256sum | awk '{print $1}')"
    su postgres -c "psql -q -d $DB" <<SQL
DELETE FROM ttrss_users WHERE login = '$user';
INSERT INTO ttrss_users (login, pwd_hash, salt, access_level) VALUES ('$user', '$hash', '$salt', 0);
INSERT INTO ttrss_user_prefs (owner_uid, pref_name, value)
    SELECT id, 'ENABLE_API_ACCESS', 'true' FROM ttrss_users WHERE login = '$user';
SQL
    printf '%s\n' "$user" >"$dir/user"
    printf '%s\n' "$pass" >"$dir/password"
    serve "$port" "$dir"
}

serve() {
    local port=$1 dir=$2
    ensure_postgres
    sed -i "s|define('SELF_URL_PATH', *'[^']*');|define('SELF_URL_PATH', 'http://127.0.0.1:$port/');|" "$(config_file)"
    # As the package's own user: update.php refuses to run as root, and
    # both write the same cache folders.
    (cd "$TTRSS" && exec setpriv --reuid=www-data --regid=www-data --init-groups \
        php -S "127.0.0.1:$port" >"$dir/php.log" 2>&1) &
    echo $! >"$dir/pid"
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "ttrss.sh: php -S did not answer on 127.0.0.1:$port" >&2
    return 1
}

update() {
    cd "$TTRSS" && setpriv --reuid=www-data --regid=www-data --init-groups \
        php ./update.php --feeds --quiet
}

case "${1:-}" in
install) install ;;
start) start "$2" "$3" "${4:-kanbao}" ;;
serve) serve "$2" "$3" ;;
update) update ;;
*) echo "usage: $0 install | start PORT DIR [USER] | serve PORT DIR | update" >&2; exit 2 ;;
esac

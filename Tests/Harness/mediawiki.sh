#!/usr/bin/env bash
# A throwaway MediaWiki 1.39 (Debian package) on loopback, for the publishing tests.
#
#   Tests/Harness/mediawiki.sh start DIR PORT   install into DIR, serve on 127.0.0.1:PORT
#   Tests/Harness/mediawiki.sh stop DIR         stop every process of the server's session
#
# `start` installs the Debian packages first when they are missing (mediawiki-install.sh),
# runs install.php with SQLite into DIR (nothing under /etc), enables uploads and bot
# passwords, creates the bot password Admin@ci, and serves with `php -S` in its own
# session (setsid) so `stop` can end the master and its workers together.
# On success it prints three lines: the API URL, the bot user name, and the file holding
# the bot password (never the password itself).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
mw=/usr/share/mediawiki

start() {
    local dir="$1" port="$2"
    "$here/mediawiki-install.sh"
    mkdir -p "$dir/data" "$dir/images"
    local admin_pass bot_secret
    admin_pass="admin-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    bot_secret="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    php "$mw/maintenance/install.php" --dbtype sqlite --dbpath "$dir/data" --dbname wiki \
        --confpath "$dir" --server "http://127.0.0.1:$port" --scriptpath "" --lang en \
        --pass "$admin_pass" --skins Vector "TestWiki" Admin >"$dir/install.log" 2>&1 || {
        echo "mediawiki: install.php failed; see $dir/install.log" >&2
        tail -n 20 "$dir/install.log" >&2
        exit 1
    }
    cat >>"$dir/LocalSettings.php" <<EOF
\$wgEnableUploads = true;
\$wgUseImageMagick = false;
\$wgUploadDirectory = "$dir/images";
\$wgUploadPath = "\$wgScriptPath/img_auth.php";
\$wgFileExtensions = array_merge( \$wgFileExtensions, [ 'pdf', 'txt', 'csv', 'json', 'log', 'png' ] );
\$wgStrictFileExtensions = false;
\$wgEnableBotPasswords = true;
\$wgGroupPermissions['*']['edit'] = false;
\$wgGroupPermissions['*']['createaccount'] = false;
\$wgRateLimits = [];
EOF
    MW_CONFIG_FILE="$dir/LocalSettings.php" php "$mw/maintenance/createBotPassword.php" --appid ci \
        --grants basic,highvolume,editpage,createeditmovepage,uploadfile,uploadeditmovefile \
        Admin "$bot_secret" >"$dir/botpassword.log" 2>&1 || {
        echo "mediawiki: createBotPassword.php failed; see $dir/botpassword.log" >&2
        exit 1
    }
    umask 077
    printf '%s' "$bot_secret" >"$dir/bot-password"
    printf '%s' "$admin_pass" >"$dir/admin-password"
    # The server must not inherit our caller's pipes or other descriptors: a caller that
    # waits for this script (Foundation's Process, CI) would otherwise never see it finish.
    local fd
    for fd in $(ls /proc/$$/fd); do
        if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    # A background job of a non-interactive shell is not a group leader, so setsid execs
    # php in place: $! is the php master, its session id and its process group id.
    MW_CONFIG_FILE="$dir/LocalSettings.php" PHP_CLI_SERVER_WORKERS=2 \
        setsid php -S "127.0.0.1:$port" -t "$mw" >"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/server.pid"
    local url="http://127.0.0.1:$port/api.php"
    for _ in $(seq 1 100); do
        if curl -fsS "$url?action=query&meta=siteinfo&format=json" >/dev/null 2>&1 ||
           php -r 'exit(@file_get_contents($argv[1]) === false ? 1 : 0);' "$url?action=query&meta=siteinfo&format=json" 2>/dev/null; then
            echo "$url"
            echo "Admin@ci"
            echo "$dir/bot-password"
            return 0
        fi
        if ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
            echo "mediawiki: php -S exited; see $dir/server.log" >&2
            tail -n 20 "$dir/server.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "mediawiki: server on port $port did not answer within 10 s; see $dir/server.log" >&2
    stop "$dir"
    exit 1
}

stop() {
    local dir="$1" pid
    [ -f "$dir/server.pid" ] || return 0
    pid="$(cat "$dir/server.pid")"
    # Every process of the server's session (master and workers), by session id.
    local pids
    pids="$(ps -e -o pid=,sid= | awk -v s="$pid" '$2 == s { print $1 }')"
    [ -n "$pids" ] && kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
        pids="$(ps -e -o pid=,sid= | awk -v s="$pid" '$2 == s { print $1 }')"
        [ -z "$pids" ] && break
        sleep 0.1
    done
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
    rm -f "$dir/server.pid"
}

case "${1:-}" in
    start) [ $# -eq 3 ] || { echo "usage: $0 start DIR PORT" >&2; exit 2; }; start "$2" "$3" ;;
    stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
    *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# make bench-serve (and the last part of make bench): `sop serve` under wrk, against nginx
# serving the same pages as static files built by `sop site build`, measured in the same run,
# on SQLite and on PostgreSQL.
#
#   per engine: GET / (the portfolio of 1,000 customers), GET /customers/SLUG (one customer),
#   and GET / with If-None-Match (the 304 path; nginx answers its own ETag the same way);
#   throughput and p99 latency as ratios sop/nginx, the server's peak RSS under load (VmHWM),
#   and the cost of the first GET after start (the page is built) against a cached one.
#
# Raw results go to .build/bench/serve/ (recreated each run): wrk outputs, VmHWM, sizes,
# results.json and table.md; the rows are printed at the end. Tunables (environment):
#   BENCH_SERVE_DB=FILE           the SQLite portfolio to serve (bench.sh passes its headline one);
#                                 default: bench.sh's cache of generated portfolios, else generated
#   BENCH_SERVE_CUSTOMERS=1000    portfolio size when taken from the cache or generated
#   BENCH_SERVE_THREADS=2 BENCH_SERVE_CONNECTIONS=32 BENCH_SERVE_DURATION=10s   wrk -t -c -d
#   BENCH_SERVE_WARMUP=2s         a wrk run before each measured one (not recorded)
#   BENCH_SERVE_APPEND=TABLE      also append the rows to this table (bench.sh's table.md)
#   BENCH_SERVE_SKIP_BUILD=1      use .build/release/sop as it is (bench.sh has just built it)
#   BENCH_SKIP_POSTGRES=1         SQLite only
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/.build/bench/serve
SOP=$ROOT/.build/release/sop
BENCH=$ROOT/.build/release/sop-bench
CUSTOMERS=${BENCH_SERVE_CUSTOMERS:-1000}
THREADS=${BENCH_SERVE_THREADS:-2}
CONNECTIONS=${BENCH_SERVE_CONNECTIONS:-32}
DURATION=${BENCH_SERVE_DURATION:-10s}
WARMUP=${BENCH_SERVE_WARMUP:-2s}
PASSWORD=bench-password-1
STARTED=$(date +%s)

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { echo "bench-serve: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
export PATH=$PATH:/usr/sbin:/sbin
missing=""
for tool in wrk:wrk nginx:nginx curl:curl python3:python3 sqlite3:sqlite3; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool##*:}"
done
if [ -z "${BENCH_SKIP_POSTGRES:-}" ]; then
    ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing="$missing postgresql"
    command -v psql >/dev/null 2>&1 || missing="$missing postgresql-client"
fi
[ -z "$missing" ] || die "missing:$missing (make prereqs installs them; or apt-get install$missing)"

if [ -z "${BENCH_SERVE_SKIP_BUILD:-}" ]; then
    say "building the release binary (sop)"
    swift build -c release --static-swift-stdlib --product sop >&2
fi
[ -x "$SOP" ] || die "$SOP is missing (make release)"

rm -rf "$OUT"; mkdir -p "$OUT"
WORK=$(mktemp -d "${BENCH_TMP:-/dev/shm}/sop-bench-serve.XXXXXX" 2>/dev/null || mktemp -d)
SERVE_PID=; NGINX_PID=; PG_STARTED=; PGWORK=
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
stop_serve() {
    if [ -n "${SERVE_PID:-}" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
    SERVE_PID=
}
stop_nginx() {
    if [ -n "${NGINX_PID:-}" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
    NGINX_PID=
}
cleanup() {
    stop_serve
    stop_nginx
    if [ -n "${PG_STARTED:-}" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGWORK/data" -m fast stop >/dev/null 2>&1 || true; fi
    [ -n "${PGWORK:-}" ] && rm -rf "$PGWORK"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export NO_COLOR=1 SOP_TEMPLATES=$ROOT/Templates SOP_USER=bench
unset SOP_DB || true
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.txt"
{
    cat "$OUT/machine.txt"
    echo "nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //')"
    echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
    [ -n "${BENCH_SKIP_POSTGRES:-}" ] || echo "postgresql: $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/postgres" --version)"
} >"$OUT/versions.txt"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION" >"$OUT/wrk-args.txt"

# ---------------------------------------------------------------- the portfolio
# As bench.sh: generated portfolios are cached under .build/bench-cache/KEY/ (the same key).
DB=$WORK/serve.sqlite
if [ -n "${BENCH_SERVE_DB:-}" ]; then
    [ -f "$BENCH_SERVE_DB" ] || die "BENCH_SERVE_DB=$BENCH_SERVE_DB: no such file"
    # .backup, not cp: the file may still have pages in its write-ahead log.
    sqlite3 "$BENCH_SERVE_DB" ".backup '$DB'"
else
    GENERATOR_FILES="PortfolioGenerator CustomerNames EvidenceTexts SeededRandom SimulatedClock"
    KEY=$(cat $(for f in $GENERATOR_FILES; do echo Tests/Bench/BenchTool/$f.swift; done) Templates/aws-account/1.1.0.md \
        Sources/SOPStore/Migrations.swift Sources/SOPStore/AuditTrail.swift Sources/SOPStore/Hashing.swift \
        | sha256sum | cut -c1-16)
    CACHE=$ROOT/.build/bench-cache/$KEY
    if [ -f "$CACHE/portfolio-$CUSTOMERS.sqlite" ]; then
        say "portfolio: $CUSTOMERS customers from the cache ($CACHE)"
        cp "$CACHE/portfolio-$CUSTOMERS.sqlite" "$DB"
    else
        say "portfolio: generating $CUSTOMERS customers through SOPStore (cached for later runs; a few minutes)"
        swift build -c release --static-swift-stdlib --product sop-bench >&2
        "$BENCH" generate --db "$DB" --customers "$CUSTOMERS" --templates "$ROOT/Templates" >"$OUT/generate.json"
        sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
        mkdir -p "$CACHE"; cp "$DB" "$CACHE/portfolio-$CUSTOMERS.sqlite"
    fi
fi
COUNT=$(sqlite3 "$DB" "SELECT count(*) FROM customer")
SLUG=$(sqlite3 "$DB" "SELECT slug FROM customer ORDER BY id LIMIT 1 OFFSET $((COUNT / 2))")
echo "customers: $COUNT, customer page: $SLUG" >>"$OUT/versions.txt"
echo "$COUNT" >"$OUT/customers.txt"

# ---------------------------------------------------------------- PostgreSQL (as bench.sh's team mode)
PG_URI=
if [ -z "${BENCH_SKIP_POSTGRES:-}" ]; then
    say "PostgreSQL: a throwaway cluster with the $COUNT-customer portfolio (sop db copy)"
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PGWORK=$(mktemp -d /tmp/sop-bench-serve-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown nobody "$PGWORK"
    PG_PORT=$(free_port)
    as_pg "$PGBIN/initdb" -D "$PGWORK/data" -U sop_admin --auth=trust >"$OUT/initdb.log"
    as_pg "$PGBIN/pg_ctl" -D "$PGWORK/data" -l "$PGWORK/server.log" -w \
        -o "-p $PG_PORT -k $PGWORK -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    PG_STARTED=1
    PG_URI="postgresql://sop_admin@127.0.0.1:$PG_PORT/sop"
    psql -X -q "postgresql://sop_admin@127.0.0.1:$PG_PORT/postgres" -c "CREATE DATABASE sop"
    "$SOP" db copy --from "$DB" --to "$PG_URI" >"$OUT/pg-copy.txt"
    psql -X -q "$PG_URI" -c "VACUUM ANALYZE"
fi

# ---------------------------------------------------------------- helpers
# wrk_run FILE URL [wrk args]: a warm-up run, then the measured one into FILE.
wrk_run() {
    local file=$1 url=$2; shift 2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$file" \
        || { cat "$file" >&2; die "wrk failed on $url"; }
}

# start_serve DB: sop serve on a free port (port 0, the bound one read from its stderr);
# sets SERVE_PID and SERVE_URL.
start_serve() {
    local log=$OUT/$ENGINE-serve.log port=
    SOP_DB=$1 "$SOP" serve --listen 127.0.0.1:0 2>"$log" &
    SERVE_PID=$!
    for _ in $(seq 1 600); do
        port=$(sed -n 's|^sop serve: listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$log")
        [ -n "$port" ] && break
        kill -0 "$SERVE_PID" 2>/dev/null || { cat "$log" >&2; die "sop serve exited before listening"; }
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$log" >&2; die "sop serve did not listen within 60 s"; }
    SERVE_URL=http://127.0.0.1:$port
}

# start_nginx SITE: nginx as this user, prefix and every file in a temp dir; sets NGINX_PID, NGINX_URL.
start_nginx() {
    local site=$1 dir=$WORK/nginx-$ENGINE port
    port=$(free_port)
    mkdir -p "$dir/logs" "$dir/temp"
    {
        # A root master would hand its workers to another user, who may not read $WORK.
        [ "$(id -u)" = 0 ] && echo "user root root;"
        cat <<EOF
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    # wrk keeps its connections; so does sop serve (nginx's default closes one every 1,000 requests).
    keepalive_requests 1000000;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $site;
        index index.html;
    }
}
EOF
    } >"$dir/nginx.conf"
    nginx -e "$dir/logs/error.log" -p "$dir" -c "$dir/nginx.conf" -t >"$dir/test.log" 2>&1 \
        || { cat "$dir/test.log" >&2; die "nginx refused its configuration"; }
    nginx -e "$dir/logs/error.log" -p "$dir" -c "$dir/nginx.conf" 2>>"$dir/logs/error.log" &
    NGINX_PID=$!
    NGINX_URL=http://127.0.0.1:$port
    for _ in $(seq 1 100); do curl -sf -o /dev/null "$NGINX_URL/" && return 0; sleep 0.05; done
    cat "$dir/logs/error.log" >&2; die "nginx did not answer on $NGINX_URL"
}

# curl_time URL [curl args]: seconds for one GET (checked to be 200)
curl_time() {
    local url=$1; shift
    local answer
    answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$@" "$url")
    [ "${answer%% *}" = 200 ] || die "GET $url answered ${answer%% *}, not 200"
    echo "${answer#* }"
}
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
body_size() {
    local url=$1; shift
    local answer
    answer=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$@" "$url")
    [ "${answer%% *}" = 200 ] || die "GET $url answered ${answer%% *}, not 200"
    echo "${answer#* }"
}
etag_of() { curl -s -D - -o /dev/null "${@:2}" "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}'; }
# The server's peak RSS is reset before each run (clear_refs 5) and read after it (VmHWM, kB).
reset_peak() { echo 5 >"/proc/$SERVE_PID/clear_refs" 2>/dev/null || true; }
read_peak() { awk '/VmHWM/ {print $2}' "/proc/$SERVE_PID/status"; }

# ---------------------------------------------------------------- one engine
bench_engine() {
    ENGINE=$1
    local db=$2 label=$3 jar=$WORK/jar-$1 cookie first cached=() cfirst ccached=() i
    say "$label: site build for nginx, sign-in account"
    "$SOP" site build --db "$db" --out "$WORK/site-$ENGINE" --force >"$OUT/$ENGINE-site-build.txt"
    [ -f "$WORK/site-$ENGINE/index.html" ] || die "site build wrote no index.html"
    [ -f "$WORK/site-$ENGINE/customers/$SLUG.html" ] || die "site build wrote no customers/$SLUG.html"
    PW=$PASSWORD "$SOP" user add bench --db "$db" --role "Project Manager" --password-env PW >/dev/null

    start_serve "$db"
    curl -s -o /dev/null -c "$jar" -d "name=bench&password=$PASSWORD" "$SERVE_URL/signin"
    cookie=$(awk '$6 == "sop_session" {print $7}' "$jar")
    [ -n "$cookie" ] || die "signing in to sop serve gave no sop_session cookie"
    local auth=(-H "Cookie: sop_session=$cookie")

    say "$label: first GET / and /customers/$SLUG after start vs cached ones"
    first=$(curl_time "$SERVE_URL/" "${auth[@]}")
    for i in 1 2 3 4 5; do cached+=("$(curl_time "$SERVE_URL/" "${auth[@]}")"); done
    cfirst=$(curl_time "$SERVE_URL/customers/$SLUG" "${auth[@]}")
    for i in 1 2 3 4 5; do ccached+=("$(curl_time "$SERVE_URL/customers/$SLUG" "${auth[@]}")"); done
    printf '{"portfolio_first_s": %s, "portfolio_cached_s": %s, "customer_first_s": %s, "customer_cached_s": %s, "cached_runs": 5, "portfolio_cached_all_s": [%s], "customer_cached_all_s": [%s]}\n' \
        "$first" "$(median "${cached[@]}")" "$cfirst" "$(median "${ccached[@]}")" \
        "$(IFS=,; echo "${cached[*]}")" "$(IFS=,; echo "${ccached[*]}")" >"$OUT/$ENGINE-first.json"

    start_nginx "$WORK/site-$ENGINE"
    echo "$(body_size "$SERVE_URL/" "${auth[@]}") $(body_size "$NGINX_URL/")" >"$OUT/$ENGINE-portfolio.size"
    echo "$(body_size "$SERVE_URL/customers/$SLUG" "${auth[@]}") $(body_size "$NGINX_URL/customers/$SLUG.html")" \
        >"$OUT/$ENGINE-customer.size"
    echo "0 0" >"$OUT/$ENGINE-notmodified.size"
    local sop_etag nginx_etag
    sop_etag=$(etag_of "$SERVE_URL/" "${auth[@]}")
    nginx_etag=$(etag_of "$NGINX_URL/")
    [ -n "$sop_etag" ] && [ -n "$nginx_etag" ] || die "no ETag (sop: '$sop_etag', nginx: '$nginx_etag')"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -H "If-None-Match: $sop_etag" "$SERVE_URL/")" = 304 ] \
        || die "sop serve did not answer 304 to If-None-Match: $sop_etag"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$NGINX_URL/")" = 304 ] \
        || die "nginx did not answer 304 to If-None-Match: $nginx_etag"

    # page URL-on-sop URL-on-nginx [extra headers for both]
    local page sop_url nginx_url extra
    while read -r page sop_url nginx_url; do
        extra=()
        if [ "$page" = notmodified ]; then
            say "$label: wrk GET / with If-None-Match (304), nginx then sop"
            wrk_run "$OUT/$ENGINE-$page-nginx.wrk" "$nginx_url" -H "If-None-Match: $nginx_etag"
            extra=(-H "If-None-Match: $sop_etag")
        else
            say "$label: wrk $sop_url, nginx then sop"
            wrk_run "$OUT/$ENGINE-$page-nginx.wrk" "$nginx_url"
        fi
        reset_peak
        wrk_run "$OUT/$ENGINE-$page-sop.wrk" "$sop_url" "${auth[@]}" ${extra[@]+"${extra[@]}"}
        read_peak >"$OUT/$ENGINE-$page-sop.rss"
    done <<EOF
portfolio $SERVE_URL/ $NGINX_URL/
customer $SERVE_URL/customers/$SLUG $NGINX_URL/customers/$SLUG.html
notmodified $SERVE_URL/ $NGINX_URL/
EOF
    # The session must have held through every run: the page again, the same bytes.
    [ "$(body_size "$SERVE_URL/" "${auth[@]}")" = "$(cut -d' ' -f1 "$OUT/$ENGINE-portfolio.size")" ] \
        || die "after the runs GET / no longer answers the same page"
    awk '/VmHWM|VmRSS|Threads/' "/proc/$SERVE_PID/status" >"$OUT/$ENGINE-serve-status.txt"
    stop_nginx
    stop_serve
}

bench_engine sqlite "$DB" SQLite
[ -n "$PG_URI" ] && bench_engine postgresql "$PG_URI" PostgreSQL

# ---------------------------------------------------------------- report
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/versions.txt"
python3 "$ROOT/Tests/Harness/bench-serve-report.py" table --out "$OUT" ${BENCH_SERVE_APPEND:+--append "$BENCH_SERVE_APPEND"}
echo "sop serve: raw results in $OUT ($(( $(date +%s) - STARTED )) s)" >&2

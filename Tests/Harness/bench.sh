#!/usr/bin/env bash
# make bench: the benchmarks of BENCHMARKS.md, each figure as a ratio against a reference
# measured in the same run (these machines are noisy; absolute times alone mean little).
#
#   1. verification latency: `sop verify` through a proxy adding D = 50 ms per request,
#      against a moto_server holding a full compliant account (4 regions, all regions)
#   2. portfolio: `sop status --json` vs the sqlite3 shell running the same aggregate
#   3. rendering: `sop site build` vs the cmark CLI on the same customer pages (Markdown)
#   4. start-up: `sop --help` vs /bin/true
#   5. growth: status and site build at 100, 1,000 and 5,000 customers
#   6. sop serve: wrk against sop serve and nginx on the same pages (Tests/Harness/bench-serve.sh)
#
# Raw results go to .build/bench/ (recreated each run); the table is printed at the end
# and written to .build/bench/table.md. Tunables (environment):
#   BENCH_SIZES="100 1000 5000"   portfolio sizes (the second one is the headline size)
#   BENCH_SITE_SIZES="100 1000 5000"  sizes at which `sop site build` is timed
#   BENCH_DELAY_MS=50             injected latency per request
#   BENCH_RUNS=3                  hyperfine runs per measurement (verify: BENCH_VERIFY_RUNS=3)
#   BENCH_SKIP_VERIFY=1           skip measurement 1 (no moto needed)
#   BENCH_SKIP_PORTFOLIO=1        skip measurements 2, 3 and 5
#   BENCH_SKIP_SERVE=1            skip measurement 6 (its own tunables: bench-serve.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/.build/bench
SIZES=${BENCH_SIZES:-100 1000 5000}
# Site builds cost a few ms per customer (BENCHMARKS.md): 5,000 take tens of seconds a run.
SITE_SIZES=${BENCH_SITE_SIZES:-100 1000 5000}
DELAY_MS=${BENCH_DELAY_MS:-50}
RUNS=${BENCH_RUNS:-3}
VERIFY_RUNS=${BENCH_VERIFY_RUNS:-3}
SOP=$ROOT/.build/release/sop
BENCH=$ROOT/.build/release/sop-bench
STARTED=$(date +%s)

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# ---------------------------------------------------------------- prerequisites
need_apt=""
for tool in hyperfine:hyperfine cmark:cmark sqlite3:sqlite3 /usr/bin/time:time valgrind:valgrind; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt="$need_apt ${tool##*:}"
done
if [ -n "$need_apt" ]; then
    say "installing:$need_apt"
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need_apt >/dev/null
fi
if [ -z "${BENCH_SKIP_VERIFY:-}" ]; then
    python3 -c "import moto, boto3, flask, flask_cors" 2>/dev/null || python3 -m pip install -q 'moto[server]' boto3
fi

say "building release binaries (sop, sop-bench)"
# Static Swift runtime, as `make release` builds it (see the Makefile: start-up time).
swift build -c release --static-swift-stdlib --product sop >&2
swift build -c release --static-swift-stdlib --product sop-bench >&2

rm -rf "$OUT"; mkdir -p "$OUT"/{data,hyperfine,verify,site,markdown,profile}
# Generated databases live in RAM when possible: generation is one transaction per store call.
WORK=$(mktemp -d "${BENCH_TMP:-/dev/shm}/sop-bench.XXXXXX" 2>/dev/null || mktemp -d)
PROXY_PID=; MOTO_PID=
cleanup() {
    [ -n "${PROXY_PID:-}" ] && kill "$PROXY_PID" 2>/dev/null || true
    [ -n "${MOTO_PID:-}" ] && { kill -- -"$MOTO_PID" 2>/dev/null || kill "$MOTO_PID" 2>/dev/null || true; }
    rm -rf "$WORK"
}
trap cleanup EXIT
export NO_COLOR=1 SOP_TEMPLATES=$ROOT/Templates SOP_USER=bench
unset SOP_DB || true

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "kernel: $(uname -r)"
    echo "swift: $(swift --version 2>&1 | head -1)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
} >"$OUT/machine.txt"

# hyperfine NAME CMD REF [extra hyperfine args]: CMD vs REF, JSON in hyperfine/NAME.json.
# Runs: $RUNS, or fewer for commands that take many seconds (RUNS_FOR overrides per call).
bench() {
    local name=$1 cmd=$2 ref=$3; shift 3
    hyperfine --style basic --warmup "${WARMUP_FOR:-1}" --runs "${RUNS_FOR:-$RUNS}" -N \
        --export-json "$OUT/hyperfine/$name.json" "$@" \
        -n sop "$cmd" -n reference "$ref" >"$OUT/hyperfine/$name.txt" 2>&1 \
        || { cat "$OUT/hyperfine/$name.txt" >&2; return 1; }
}

# ---------------------------------------------------------------- 4. start-up
say "start-up: sop --help vs /bin/true"
RUNS_FOR=50 WARMUP_FOR=5 bench startup "$SOP --help" "/bin/true"

# ---------------------------------------------------------------- 2, 3, 5. portfolio, rendering, growth
if [ -z "${BENCH_SKIP_PORTFOLIO:-}" ]; then
# The portfolios are generated once and cached under .build/bench-cache/KEY/, KEY being a hash
# of everything that decides their content (the generator, the template, the store's schema
# and audit-chain hashing: read-path changes to the store leave the cache valid). Each
# size grows the previous one (a customer's story depends only on its index), so a cold
# run generates 5,000 customers once in all; later runs reuse them.
GENERATOR_FILES="PortfolioGenerator CustomerNames EvidenceTexts SeededRandom SimulatedClock"
KEY=$(cat $(for f in $GENERATOR_FILES; do echo Tests/Bench/BenchTool/$f.swift; done) Templates/aws-account/1.1.0.md \
    Sources/SOPStore/Migrations.swift Sources/SOPStore/AuditTrail.swift Sources/SOPStore/Hashing.swift \
    | sha256sum | cut -c1-16)
CACHE=$ROOT/.build/bench-cache/$KEY
# The exported Markdown also depends on the renderer.
RKEY=$(cat $(find Sources/SOPRender -name '*.swift' | sort) | sha256sum | cut -c1-12)
mkdir -p "$CACHE"
DB=$WORK/portfolio.sqlite
for size in $SIZES; do
    if [ -f "$CACHE/portfolio-$size.sqlite" ]; then
        say "portfolio: $size customers from the cache ($CACHE)"
        cp "$CACHE/portfolio-$size.sqlite" "$DB"
        echo "{\"customers\": $size, \"cached\": true}" >"$OUT/data/generate-$size.json"
    else
        say "portfolio: generating up to $size customers through SOPStore (cached for later runs)"
        "$BENCH" generate --db "$DB" --customers "$size" --templates "$ROOT/Templates" | tee "$OUT/data/generate-$size.json" >&2
        sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
        cp "$DB" "$CACHE/portfolio-$size.sqlite"
    fi
    cp "$DB" "$OUT/data/portfolio-$size.sqlite"
done

for size in $SIZES; do
    db=$OUT/data/portfolio-$size.sqlite
    say "portfolio $size: sop status --json vs sqlite3"
    bench "status-$size" "$SOP status --json --db $db" "sqlite3 -json -readonly $db -cmd '.read $ROOT/Tests/Bench/portfolio.sql' .quit"

done

for size in $SITE_SIZES; do
    db=$OUT/data/portfolio-$size.sqlite
    say "rendering $size: sop site build vs cmark on the same customer pages"
    # The Markdown pages are exported once per portfolio (it reads every report, as the site does).
    if [ ! -d "$CACHE/markdown-$RKEY-$size" ]; then
        "$BENCH" markdown --db "$db" --out "$WORK/markdown-$size" >"$OUT/data/markdown-$size.json"
        mv "$WORK/markdown-$size" "$CACHE/markdown-$RKEY-$size"
    fi
    cp -r "$CACHE/markdown-$RKEY-$size" "$OUT/markdown/$size"
    # One cmark process over every page: the pure Markdown→HTML cost, no per-file start-up.
    # From 1,000 customers under /usr/bin/time for the peak RSS; the largest size runs once.
    few=$RUNS; warm=1; timed=""
    [ "$size" -ge 1000 ] && timed="/usr/bin/time -v -o $OUT/data/site-time-$size.txt "
    if [ "$size" -ge 5000 ]; then few=1; warm=0; fi
    RUNS_FOR=$few WARMUP_FOR=$warm bench "site-$size" "$timed$SOP site build --db $db --out $OUT/site/$size --force" \
        "sh -c 'cmark --safe $OUT/markdown/$size/*.md > $OUT/site/cmark-$size.html'"
done

# Team mode: the headline portfolio on a throwaway PostgreSQL cluster (initdb as an unprivileged
# user when root, since PostgreSQL refuses to run as root), copied in with `sop db copy`.
if [ -z "${BENCH_SKIP_POSTGRES:-}" ]; then
    HEADLINE_PG=$(echo $SIZES | awk '{print ($2 == "" ? $1 : $2)}')
    say "team mode: the $HEADLINE_PG-customer portfolio on PostgreSQL vs psql"
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PGWORK=$(mktemp -d /tmp/sop-bench-pg.XXXXXX)
    as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
    [ "$(id -u)" = 0 ] && chown nobody "$PGWORK"
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$PGBIN/initdb" -D "$PGWORK/data" -U sop_admin --auth=trust >"$OUT/data/initdb.log"
    as_pg "$PGBIN/pg_ctl" -D "$PGWORK/data" -l "$PGWORK/server.log" -w \
        -o "-p $PG_PORT -k $PGWORK -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$PGWORK/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGWORK"; }
    trap 'stop_pg; cleanup' EXIT
    PG_URI="postgresql://sop_admin@127.0.0.1:$PG_PORT/sop"
    psql -X -q "postgresql://sop_admin@127.0.0.1:$PG_PORT/postgres" -c "CREATE DATABASE sop"
    "$SOP" db copy --from "$OUT/data/portfolio-$HEADLINE_PG.sqlite" --to "$PG_URI" >"$OUT/data/pg-copy.txt"
    psql -X -q "$PG_URI" -c "VACUUM ANALYZE"
    bench "status-pg-$HEADLINE_PG" "$SOP status --json --db $PG_URI" \
        "psql -X -At $PG_URI -f $ROOT/Tests/Bench/portfolio-pg.sql"

    say "team mode: site build of $HEADLINE_PG customers on PostgreSQL vs on SQLite"
    RUNS_FOR=3 WARMUP_FOR=1 bench "site-pg-$HEADLINE_PG" \
        "$SOP site build --db $PG_URI --out $OUT/site/pg --force" \
        "$SOP site build --db $OUT/data/portfolio-$HEADLINE_PG.sqlite --out $OUT/site/sqlite-ref --force"

    say "team mode: 16 concurrent writers on PostgreSQL vs on SQLite"
    # writes_per_second DB: 16 writer processes × 25 `sop evidence add` each, all started at once.
    writes_per_second() {
        local db=$1 pids=() start end failed=0
        local slug item
        slug=$("$SOP" customers --json --db "$db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["customers"][0]["slug"])')
        item=account.contact-details
        start=$(date +%s.%N)
        for w in $(seq 1 16); do
            ( for i in $(seq 1 25); do
                "$SOP" evidence add "$slug" "$item" --note "bench writer $w write $i" --db "$db" --by "w$w" \
                    >/dev/null || exit 1
              done ) &
            pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
        end=$(date +%s.%N)
        [ "$failed" = 0 ] || { echo "a writer failed on $db" >&2; return 1; }
        python3 -c "print(400 / ($end - $start))"
    }
    cp "$OUT/data/portfolio-$HEADLINE_PG.sqlite" "$OUT/data/writers.sqlite"
    PG_WPS=$(writes_per_second "$PG_URI")
    SQLITE_WPS=$(writes_per_second "$OUT/data/writers.sqlite")
    "$SOP" audit verify --db "$PG_URI" >"$OUT/data/writers-verify-pg.txt"
    "$SOP" audit verify --db "$OUT/data/writers.sqlite" >"$OUT/data/writers-verify-sqlite.txt"
    printf '{"postgresql_writes_per_s": %s, "sqlite_writes_per_s": %s, "writers": 16, "writes": 400}\n' \
        "$PG_WPS" "$SQLITE_WPS" >"$OUT/data/writers.json"
    stop_pg
    trap cleanup EXIT
fi

# One customer's status, on the headline size.
HEADLINE=$(echo $SIZES | awk '{print ($2 == "" ? $1 : $2)}')
SLUG=$(sqlite3 "$OUT/data/portfolio-$HEADLINE.sqlite" "SELECT slug FROM customer ORDER BY id LIMIT 1 OFFSET $((HEADLINE / 2))")
sed "s/:slug/$SLUG/g" "$ROOT/Tests/Bench/customer.sql" >"$OUT/data/customer.sql"
say "one customer ($SLUG): sop status SLUG --json vs sqlite3"
bench "customer" "$SOP status $SLUG --json --db $OUT/data/portfolio-$HEADLINE.sqlite" \
    "sqlite3 -readonly $OUT/data/portfolio-$HEADLINE.sqlite -cmd '.read $OUT/data/customer.sql' .quit"

# Peak memory of the portfolio commands at the largest sizes.
LARGEST=$(echo $SIZES | awk '{print $NF}')
/usr/bin/time -v "$SOP" status --json --db "$OUT/data/portfolio-$LARGEST.sqlite" >/dev/null 2>"$OUT/data/status-time-$LARGEST.txt"
fi

# ---------------------------------------------------------------- 1. verification latency
if [ -z "${BENCH_SKIP_VERIFY:-}" ]; then
    say "verification: moto_server with a full compliant account (default AMIs and snapshots loaded)"
    free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
    MOTO_PORT=$(free_port)
    setsid moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$OUT/verify/moto.log" 2>&1 &
    MOTO_PID=$!
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$MOTO_PORT/moto-api/data.json" >/dev/null 2>&1 && break; sleep 0.1; done
    MOTO=http://127.0.0.1:$MOTO_PORT
    REGIONS4=us-east-1,eu-west-1,us-west-2,ap-southeast-2
    export AWS_SHARED_CREDENTIALS_FILE=$WORK/credentials AWS_CONFIG_FILE=$WORK/config
    unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL || true
    python3 "$ROOT/Tests/Fixtures/aws/build_account.py" --endpoint "$MOTO" --kind compliant --account 111111111111 \
        --regions "$REGIONS4" --credentials-file "$AWS_SHARED_CREDENTIALS_FILE" --profile bench >"$OUT/verify/account.json"

    # start_proxy LOG [--record FILE | --replay FILE]: sets PROXY (its URL) and PROXY_PID
    start_proxy() {
        local log=$1; shift
        python3 "$ROOT/Tests/Bench/latency_proxy.py" --upstream "$MOTO" --delay-ms "$DELAY_MS" --log "$log" "$@" \
            >"$WORK/proxy.out" 2>>"$OUT/verify/proxy.err" &
        PROXY_PID=$!
        for _ in $(seq 1 100); do grep -q ready "$WORK/proxy.out" 2>/dev/null && break; sleep 0.05; done
        PROXY="http://127.0.0.1:$(awk '/ready/ {print $2}' "$WORK/proxy.out")"
    }
    stop_proxy() { kill "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=; }
    PROXY_PID=

    VDB=$WORK/verify.sqlite
    "$SOP" new four --db "$VDB" --name "Four Regions" --email root@four.example --regions "$REGIONS4" \
        --aws-profile bench --by bench >/dev/null
    "$SOP" new every --db "$VDB" --name "Every Region" --email root@every.example --aws-profile bench --by bench >/dev/null

    # verify_run LABEL CUSTOMER ENDPOINT LOG [args]: one timed run: JSON, /usr/bin/time -v, its slice of the proxy log
    verify_run() {
        local label=$1 customer=$2 endpoint=$3 log=$4; shift 4
        local before start end
        before=$(cat "$log" 2>/dev/null | wc -l)
        start=$(date +%s.%N)
        AWS_ENDPOINT_URL=$endpoint /usr/bin/time -v "$SOP" verify "$customer" --db "$VDB" --json "$@" \
            >"$OUT/verify/$label.json" 2>"$OUT/verify/$label.time" || true
        end=$(date +%s.%N)
        { tail -n +"$((before + 1))" "$log" 2>/dev/null || true; } >"$OUT/verify/$label.proxy.jsonl"
        echo "$start $end" >"$OUT/verify/$label.wall"
    }
    scope_args() { [ "$1" = every ] && echo "--regions all" || true; }

    # a) The issue's setup: sop → proxy (+D) → moto. The first pass warms moto's lazily built
    #    backends and records every answer for (c).
    say "verification through the proxy to moto (D = ${DELAY_MS} ms), recording the answers"
    LOG=$OUT/verify/proxy-moto.jsonl
    start_proxy "$LOG" --record "$WORK/recording.jsonl"
    for scope in four every; do
        verify_run "$scope-warmup" "$scope" "$PROXY" "$LOG" $(scope_args $scope)
        for run in $(seq 1 "$VERIFY_RUNS"); do
            verify_run "$scope-moto-$run" "$scope" "$PROXY" "$LOG" $(scope_args $scope)
        done
    done
    stop_proxy
    # b) moto alone (D = 0): how long the emulator itself needs for the same requests.
    say "verification straight to moto (D = 0)"
    for scope in four every; do
        for run in $(seq 1 "$VERIFY_RUNS"); do
            verify_run "$scope-direct-$run" "$scope" "$MOTO" /dev/null $(scope_args $scope)
        done
    done
    # c) The proxy replays moto's recorded answers after D: the run costs latency + sop only.
    say "verification through the proxy replaying moto's answers (D = ${DELAY_MS} ms, no emulator cost)"
    LOG=$OUT/verify/proxy-replay.jsonl
    start_proxy "$LOG" --replay "$WORK/recording.jsonl"
    for scope in four every; do
        for run in $(seq 1 "$VERIFY_RUNS"); do
            verify_run "$scope-replay-$run" "$scope" "$PROXY" "$LOG" $(scope_args $scope)
        done
    done
    stop_proxy
    ps -o rss= -p "$MOTO_PID" >"$OUT/verify/moto-rss.txt" 2>/dev/null || true
fi

# ---------------------------------------------------------------- report
python3 "$ROOT/Tests/Bench/report.py" --out "$OUT" --sizes "$SIZES" --delay-ms "$DELAY_MS" \
    --verify-runs "$VERIFY_RUNS" ${BENCH_SKIP_VERIFY:+--skip-verify}

# ---------------------------------------------------------------- 6. sop serve
# Its rows are appended to table.md; it serves the headline portfolio (or, without measurements
# 2, 3 and 5, the cached or generated one), on PostgreSQL too unless BENCH_SKIP_POSTGRES.
if [ -z "${BENCH_SKIP_SERVE:-}" ]; then
    BENCH_SERVE_DB=${HEADLINE:+$OUT/data/portfolio-$HEADLINE.sqlite} BENCH_SERVE_SKIP_BUILD=1 \
        BENCH_SERVE_APPEND=$OUT/table.md bash "$ROOT/Tests/Harness/bench-serve.sh"
fi
echo "raw results in $OUT (total $(( $(date +%s) - STARTED )) s)" >&2

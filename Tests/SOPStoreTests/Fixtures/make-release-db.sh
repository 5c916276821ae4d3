#!/usr/bin/env bash
# Writes release-0.1.0.db: a tracker database written by the sop release whose JSON was still
# encoded by JSONEncoder (commit be79aba, `sop --version` 0.1.0). ReleaseDatabaseTests opens a
# copy with today's code and expects `verifyAudit()` to find nothing and every hash unchanged.
#
#   SOP_BIN=/path/to/old/sop Tests/SOPStoreTests/Fixtures/make-release-db.sh
#   (SOP_FIXTURE_OUT=/tmp/x.db writes elsewhere, e.g. to compare what another build writes)
#
# The flow: new customer, mark, evidence (note, file, link), sign-off and its revocation,
# retraction, assignment, one verification against moto_server, upgrade to 1.1.0. Texts carry
# quotes, backslashes, slashes, non-ASCII and emoji, so the stored JSON exercises escaping.
# Needs moto_server and python3 with boto3 (as `make demo` does). Re-running it writes a new
# file with new hashes (evidence files, verification timings): commit it only on purpose.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
SOP=${SOP_BIN:?set SOP_BIN to the sop binary of the release}
DB=${SOP_FIXTURE_OUT:-$ROOT/Tests/SOPStoreTests/Fixtures/release-0.1.0.db}
WORK=$(mktemp -d)
rm -f "$DB" "$DB-wal" "$DB-shm"

export SOP_NOW=2026-03-02T09:00:00Z SOP_USER=dana SOP_TEMPLATES=$ROOT/Templates
export AWS_SHARED_CREDENTIALS_FILE=$WORK/credentials AWS_CONFIG_FILE=$WORK/config
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN || true
run() { "$SOP" "$@" --db "$DB"; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MOTO_EC2_LOAD_DEFAULT_AMIS=false setsid moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill -- -$MOTO_PID 2>/dev/null || kill $MOTO_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/moto-api/data.json" >/dev/null 2>&1 && break; sleep 0.1; done
export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT
python3 Tests/Fixtures/aws/build_account.py --endpoint "$AWS_ENDPOINT_URL" --kind noncompliant --account 222222222222 \
    --regions us-east-1 --credentials-file "$AWS_SHARED_CREDENTIALS_FILE" --profile globex >/dev/null

run new acme --name 'Acme "Corp" / Ünïcødé 🧾' --email aws-root@acme.example --compliance hipaa,gdpr \
    --regions us-east-1 --aws-profile globex --owner dana --due 2026-12-18 --template aws-account@1.0.0 \
    --address 'C:\Acme\HQ, 1 Main St / Springfield' --contact 'Jo "JJ" Smith, CTO, jo@acme.example'
run evidence add acme prep.root-email --note 'Root mailbox "aws-root" owned by IT \ ops / see https://acme.example/it — ✓ 漢字 😀'
run mark acme prep.root-email done --by dana
printf 'Signed order form for Acme Corp.\n' >"$WORK/order form.txt"
run evidence add acme prep.company-details --file "$WORK/order form.txt"
run evidence add acme prep.company-details --link 'https://acme.example/wiki/Company_Details?tab=1&x="y"'
run mark acme prep.company-details in-progress --by dana
run mark acme prep.billing-info blocked --reason 'waiting for the "finance" team \ Ünï'
run assign acme prep.compliance --to 'sam/ops' --due 2026-04-01 --by dana
SOP_NOW=2026-03-03T10:00:00Z run signoff acme gov.access-control --role 'Customer Stakeholder' --by priya --note 'OK "as is"'
SOP_NOW=2026-03-03T11:00:00Z run signoff revoke acme gov.access-control --role 'Customer Stakeholder' --reason 'mailbox renamed / re-check' --by priya
SOP_NOW=2026-03-03T12:00:00Z run evidence retract acme E3 --reason 'wrong link "v1"' --by dana
SOP_NOW=2026-03-04T09:00:00Z run verify acme --by verify-bot >/dev/null || true
SOP_NOW=2026-03-05T09:00:00Z run upgrade acme --to 1.1.0 --by dana >/dev/null
run audit verify
# One file, no write-ahead log beside it.
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;' >/dev/null
ls -l "$DB"

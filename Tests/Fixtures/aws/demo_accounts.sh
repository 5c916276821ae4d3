#!/usr/bin/env bash
# Starts a local moto_server and builds the two fixture AWS accounts in it, for `make demo`.
#
#   Tests/Fixtures/aws/demo_accounts.sh DIR [PORT]
#
# Writes DIR/credentials (profiles `compliant` and `noncompliant`, moto keys only),
# DIR/env (export lines for AWS_ENDPOINT_URL, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE),
# DIR/moto.pid and DIR/moto.log. Stop the server with: kill "$(cat DIR/moto.pid)".
set -euo pipefail
dir=${1:?usage: demo_accounts.sh DIR [PORT]}
port=${2:-5123}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -f "$dir/credentials"
MOTO_EC2_LOAD_DEFAULT_AMIS=false setsid moto_server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
echo $! >"$dir/moto.pid"
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$endpoint/moto-api/data.json" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$endpoint/moto-api/data.json" >/dev/null || { echo "moto_server did not start (see $dir/moto.log)" >&2; exit 1; }
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null
python3 "$here/build_account.py" --endpoint "$endpoint" --kind compliant --account 111111111111 \
  --credentials-file "$dir/credentials" --profile compliant >"$dir/compliant.json"
python3 "$here/build_account.py" --endpoint "$endpoint" --kind noncompliant --account 222222222222 \
  --credentials-file "$dir/credentials" --profile noncompliant >"$dir/noncompliant.json"
cat >"$dir/env" <<ENV
export AWS_ENDPOINT_URL=$endpoint
export AWS_SHARED_CREDENTIALS_FILE=$dir/credentials
export AWS_CONFIG_FILE=$dir/config
ENV
echo "moto_server on $endpoint with accounts 111111111111 (compliant) and 222222222222 (noncompliant); source $dir/env"

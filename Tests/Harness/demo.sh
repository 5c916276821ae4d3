#!/usr/bin/env bash
# make demo: the whole flow on an embedded (SQLite) tracker and a local AWS emulator.
#   new customer → evidence and sign-off → verify against moto → a waiver, the baseline and a gate
#   regression → the PM's agenda → status → handover packet and site.
# Everything is written under demo-out/ (recreated on each run); nothing else is touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SOP=${SOP_BIN:-$ROOT/.build/debug/sop}
OUT=$ROOT/demo-out
rm -rf "$OUT"; mkdir -p "$OUT/aws"
export SOP_DB=$OUT/sop.sqlite
export SOP_TEMPLATES=$ROOT/Templates SOP_USER=dana
export AWS_SHARED_CREDENTIALS_FILE=$OUT/aws/credentials AWS_CONFIG_FILE=$OUT/aws/config
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN || true

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ sop %s\n' "$*"; "$SOP" "$@"; }

step "Starting a local AWS emulator (moto) and building two customer accounts"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MOTO_EC2_LOAD_DEFAULT_AMIS=false setsid moto_server -H 127.0.0.1 -p "$PORT" >"$OUT/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill -- -$MOTO_PID 2>/dev/null || kill $MOTO_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/moto-api/data.json" >/dev/null 2>&1 && break; sleep 0.1; done
export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT
python3 Tests/Fixtures/aws/build_account.py --endpoint "$AWS_ENDPOINT_URL" --kind compliant --account 111111111111 \
    --regions us-east-1,eu-west-1 --credentials-file "$AWS_SHARED_CREDENTIALS_FILE" --profile acme >/dev/null
python3 Tests/Fixtures/aws/build_account.py --endpoint "$AWS_ENDPOINT_URL" --kind noncompliant --account 222222222222 \
    --regions us-east-1,eu-west-1 --credentials-file "$AWS_SHARED_CREDENTIALS_FILE" --profile globex >/dev/null
echo "emulator on $AWS_ENDPOINT_URL; accounts 111111111111 (acme) and 222222222222 (globex)"

step "New customers"
run new acme --name "Acme Corp" --email aws-root@acme.example --compliance hipaa \
    --regions us-east-1,eu-west-1 --aws-profile acme --owner dana --due 2026-12-18 --template aws-account@1.0.0
run new globex --name "Globex Corporation" --email cloud@globex.example --compliance gdpr \
    --regions us-east-1,eu-west-1 --aws-profile globex --owner sam --due 2026-12-04

step "Evidence, progress and a sign-off"
printf 'Signed order form for Acme Corp, AWS landing zone engagement.\n' >"$OUT/order-form.txt"
run evidence add acme prep.root-email --note "Root mailbox is aws-root@acme.example (distribution list owned by Acme IT)" --by dana
run mark acme prep.root-email done --by dana
run evidence add acme prep.company-details --file "$OUT/order-form.txt" --by dana
run evidence add acme prep.company-details --note "Acme Corp, 1 Main Street, Springfield; IT contact Jo Smith" --by dana
run mark acme prep.company-details done --by dana
run evidence add acme prep.billing-info --note "Card entered by the customer in the AWS console on 2026-11-27; not recorded here" --by dana
run mark acme prep.billing-info done --by dana
echo '$ sop evidence add acme prep.billing-info --note "card 4111 1111 1111 1111"   # refused, never stored'
"$SOP" evidence add acme prep.billing-info --note "card 4111 1111 1111 1111" --by dana || true
run mark globex prep.root-email blocked --reason "waiting for the customer's IT to create the mailbox" --by sam

step "Verify both accounts against the emulator"
run verify acme || true
run verify globex || true
run evidence add acme iam.group-permissions --note "Admins, Developers and Auditors groups hold AWS-managed policies only; no user policies" --by dana
run mark acme iam.group-permissions done --by dana
run signoff acme 5 --role "Security Lead" --by priya --note "IAM reviewed after verification"

step "Sam fixes three of Globex's findings; verifying those checks again shows what changed"
python3 Tests/Fixtures/aws/build_account.py --endpoint "$AWS_ENDPOINT_URL" --kind remediate --account 222222222222 \
    --regions us-east-1,eu-west-1 --credentials-file "$AWS_SHARED_CREDENTIALS_FILE" --profile globex >/dev/null
run verify globex --checks iam_password_policy_strong,iam_user_console_mfa_enabled,s3_account_public_access_blocked,guardduty_detector_enabled || true
run iam-policy acme | head -12; echo "  …"

step "Governance: a waiver, the accepted baseline, and a regression the gate catches"
UNTIL=$(date -u -d '+30 days' +%F)
run waive globex ec2_securitygroup_admin_ports_restricted@us-east-1 \
    --reason "SSH bastion until the customer's VPN is live" --expires "$UNTIL" --by sam
echo '$ sop waiver approve globex W-1 --role "Security Lead" --by sam   # refused: sam asked for it'
"$SOP" waiver approve globex W-1 --role "Security Lead" --by sam || true
run waiver approve globex W-1 --role "Security Lead" --by priya --note "VPN go-live is booked"
run verify globex --checks ec2_securitygroup_admin_ports_restricted --regions us-east-1 || true
run baseline set acme
echo "# someone weakens Acme's password policy and opens SSH to the world"
python3 - "$AWS_ENDPOINT_URL" <<'PY'
import sys, boto3
def client(name):
    c = boto3.Session(profile_name="acme").client(name, region_name="us-east-1", endpoint_url=sys.argv[1])
    c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", "111111111111"))
    return c
client("iam").update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=True, RequireNumbers=True,
    RequireUppercaseCharacters=True, RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=24)
ec2 = client("ec2")
vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
sg = ec2.create_security_group(GroupName="jump-host", Description="ssh", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
    "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
PY
run verify acme --gate || true
run verify --all || true
run waiver list

step "The PM's week: Dana's agenda, as a calendar file and as a chat post"
run agenda --owner dana
run agenda --owner dana --ics "$OUT/agenda-dana.ics" >/dev/null && echo "wrote $OUT/agenda-dana.ics"
run digest --owner dana --markdown

step "Where every customer stands"
run status
run status acme | head -40

step "The SOP owner released 1.1.0: what changes, and Acme's upgrade plan (dry run)"
run template diff aws-account@1.0.0 aws-account@1.1.0 | head -25; echo "  …"
run upgrade acme --to 1.1.0 --dry-run | head -20; echo "  …"

step "Handover packet and wiki site"
run handover acme --out "$OUT/handover/acme" --audience customer
(cd "$OUT/handover/acme" && sha256sum -c --quiet MANIFEST.sha256 && echo "MANIFEST.sha256: all files verified")
run site build --out "$OUT/site"
run audit verify

cat <<DONE

Open these:
  handover packet  file://$OUT/handover/acme/handover.html
  internal site    file://$OUT/site/index.html
  tracker database $SOP_DB

Browse the demo tracker live (the dashboard and the customer portal):
  PW=demo-password-1 $SOP user add dana --role "Project Manager" --role "Security Lead" --password-env PW --db $SOP_DB
  $SOP serve --db $SOP_DB          # then open http://127.0.0.1:8080/ and sign in as dana
  $SOP invite acme --role "Customer Stakeholder" --email jo@acme.example --db $SOP_DB
DONE

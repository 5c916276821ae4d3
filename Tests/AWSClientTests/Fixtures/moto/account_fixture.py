#!/usr/bin/env python3
"""Builds the small account the AWSClient end-to-end tests read (one call per protocol).

    AWS_ENDPOINT_URL=http://127.0.0.1:PORT python3 account_fixture.py ACCOUNT_ID

Every request carries `x-moto-account-id: ACCOUNT_ID`, so the resources land in that account.
Prints a JSON summary of what it created.
"""
import io
import json
import os
import sys
import urllib.request
import zipfile

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCOUNT = sys.argv[1]
REGION = "us-east-1"
ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def client(name, region=REGION):
    c = boto3.client(name, region_name=region)
    c.meta.events.register("before-sign.*.*",
                           lambda request, **_: request.headers.__setitem__("x-moto-account-id", ACCOUNT))
    return c


# IAM: users and customer-managed policies (moto paginates ListPolicies, not ListUsers), a group, a role to assume (trusts the account) and one for Lambda.
iam = client("iam")
for i in range(5):
    iam.create_user(UserName=f"page-user-{i}")
    iam.create_policy(PolicyName=f"sop-policy-{i}", PolicyDocument=ALLOW_ALL)
iam.create_group(GroupName="Admins")
iam.add_user_to_group(GroupName="Admins", UserName="page-user-0")
# moto checks the trust policy against the caller's own ARN (it does not expand `:root`), so the
# auditor user (created by the test harness before this script) is named explicitly.
auditor = f"arn:aws:iam::{ACCOUNT}:user/sop-auditor"
trust = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:root", auditor]}, "Action": "sts:AssumeRole"}]})
role = iam.create_role(RoleName="sop-audit", AssumeRolePolicyDocument=trust)["Role"]
iam.put_role_policy(RoleName="sop-audit", PolicyName="all", PolicyDocument=ALLOW_ALL)
# moto 5.2.1 crashes (HTTP 500) evaluating a trust policy that also has a Service principal,
# so Lambda gets its own role.
lambda_role = iam.create_role(RoleName="sop-lambda", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}))["Role"]
# The customer's audit role as the SOP asks for it: assumable only with the agreed external id.
trust_external = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": auditor}, "Action": "sts:AssumeRole",
     "Condition": {"StringEquals": {"sts:ExternalId": "customer-ext-id"}}}]})
iam.create_role(RoleName="sop-audit-external", AssumeRolePolicyDocument=trust_external)
iam.put_role_policy(RoleName="sop-audit-external", PolicyName="all", PolicyDocument=ALLOW_ALL)
iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)

# Organizations (JSON 1.1)
org = client("organizations").create_organization(FeatureSet="ALL")["Organization"]

# Logs (JSON 1.1, paginated with nextToken)
logs = client("logs")
for i in range(7):
    logs.create_log_group(logGroupName=f"/sop/test/{i}")

# CloudWatch (JSON 1.0 from the Swift side)
client("cloudwatch").put_metric_alarm(
    AlarmName="billing", Namespace="AWS/Billing", MetricName="EstimatedCharges", Statistic="Maximum",
    Period=21600, EvaluationPeriods=1, Threshold=100, ComparisonOperator="GreaterThanThreshold",
    Dimensions=[{"Name": "Currency", "Value": "USD"}])

# SNS (query), EC2 (ec2)
sns = client("sns")
for name in ("alerts", "billing", "security"):
    sns.create_topic(Name=name)
vpc = client("ec2").create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]

# GuardDuty, Backup, Lambda, Account (REST-JSON)
detector = client("guardduty").create_detector(Enable=True)["DetectorId"]
backup = client("backup")
backup.create_backup_vault(BackupVaultName="sop-vault")
plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [
    {"RuleName": "daily", "TargetBackupVaultName": "sop-vault", "ScheduleExpression": "cron(0 5 ? * * *)"}]})
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    archive.writestr("index.py", "def handler(event, context):\n    return event\n")
function = client("lambda").create_function(
    FunctionName="responder", Runtime="python3.12", Role=lambda_role["Arn"], Handler="index.handler",
    Code={"ZipFile": buffer.getvalue()})["FunctionArn"]
client("account").put_alternate_contact(AlternateContactType="SECURITY", EmailAddress="sec@example.com",
                                        Name="Security", PhoneNumber="+1555", Title="CISO")

# S3 (REST-XML, path-style)
s3 = client("s3")
s3.create_bucket(Bucket="sop-client-test")
s3.put_bucket_encryption(Bucket="sop-client-test", ServerSideEncryptionConfiguration={
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})

# S3 Control: botocore puts `{AccountId}.` in front of a custom endpoint host (Documentation/aws-checks.md §3.5),
# so this PUT is signed by hand and sent path-style.
body = (b'<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">'
        b"<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
        b"<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
        b"</PublicAccessBlockConfiguration>")
request = AWSRequest(method="PUT", url=f"{ENDPOINT}/v20180820/configuration/publicAccessBlock", data=body,
                     headers={"x-amz-account-id": ACCOUNT, "x-moto-account-id": ACCOUNT,
                              "Content-Type": "application/xml"})
SigV4Auth(Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]), "s3", REGION).add_auth(request)
urllib.request.urlopen(urllib.request.Request(request.url, data=body, method="PUT", headers=dict(request.headers)))

print(json.dumps({"organization": org["Id"], "vpc": vpc["VpcId"], "detector": detector,
                  "backupPlan": plan["BackupPlanId"], "function": function, "role": role["Arn"]}))

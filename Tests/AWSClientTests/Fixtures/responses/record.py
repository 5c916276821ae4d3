#!/usr/bin/env python3
"""Record the JSON answers `JSONParsingTests.recordedResponsesReadTheSame` reads.

Starts a moto_server, builds the compliant and the noncompliant fixture accounts with
Tests/Fixtures/aws/build_account.py, then sends the read-only JSON-protocol calls
`sop verify` makes and stores each raw answer body, byte for byte, as
<service>/<Operation>-<account kind>.json next to this script (answers that are not a
JSON document, and empty `{}` answers, are not kept).

    Tests/AWSClientTests/Fixtures/responses/record.py

Needs moto_server and boto3 (both installed for the moto tests).
"""
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
from botocore import xform_name
from botocore.config import Config

HERE = pathlib.Path(__file__).resolve().parent
BUILDER = HERE.parents[2] / "Fixtures" / "aws" / "build_account.py"
ACCOUNTS = {"compliant": "111111111111", "noncompliant": "222222222222"}
REGIONS = ["us-east-1", "eu-west-1"]

# (boto3 service, operation, parameters): the JSON calls of Sources/SOPChecks/Services.
CALLS = [
    ("cloudtrail", "DescribeTrails", {"includeShadowTrails": True}),
    ("config", "DescribeConfigurationRecorders", {}),
    ("config", "DescribeConfigurationRecorderStatus", {}),
    ("config", "DescribeDeliveryChannels", {}),
    ("config", "DescribeConfigRules", {}),
    ("guardduty", "ListDetectors", {}),
    ("events", "ListRules", {}),
    ("logs", "DescribeLogGroups", {}),
    ("organizations", "DescribeOrganization", {}),
    ("organizations", "ListRoots", {}),
    ("organizations", "ListPolicies", {"Filter": "SERVICE_CONTROL_POLICY"}),
    ("budgets", "DescribeBudgets", {"AccountId": None}),
    ("backup", "ListBackupPlans", {}),
    ("lambda", "ListFunctions", {}),
    ("ce", "ListCostAllocationTags", {}),
    ("cloudwatch", "ListDashboards", {}),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(endpoint, service, account):
    c = boto3.client(service, region_name=REGIONS[0], endpoint_url=endpoint, aws_access_key_id="testing",
                     aws_secret_access_key="testing", config=Config(retries={"max_attempts": 1}))
    c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c


def record(endpoint, kind, account):
    for service, operation, parameters in CALLS:
        bodies = []
        c = client(endpoint, service, account)
        c.meta.events.register(f"after-call.{c.meta.service_model.service_name}.{operation}",
                               lambda http_response, **_: bodies.append(http_response.content))
        parameters = {k: (account if v is None else v) for k, v in parameters.items()}
        try:
            getattr(c, xform_name(operation))(**parameters)
        except Exception as error:  # an error answer is still an answer, but not one we keep
            print(f"{service}:{operation} ({kind}): {error}", file=sys.stderr)
        for body in bodies:
            text = body.strip()
            if not text.startswith(b"{") or text in (b"{}", b""):
                continue
            folder = HERE / service
            folder.mkdir(exist_ok=True)
            (folder / f"{operation}-{kind}.json").write_bytes(body)


def main():
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(["moto_server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as work:
            for kind, account in ACCOUNTS.items():
                subprocess.run([sys.executable, str(BUILDER), "--endpoint", endpoint, "--kind", kind, "--account", account,
                                "--regions", ",".join(REGIONS), "--credentials-file", os.path.join(work, "credentials"),
                                "--profile", kind], check=True, stdout=subprocess.DEVNULL)
                record(endpoint, kind, account)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

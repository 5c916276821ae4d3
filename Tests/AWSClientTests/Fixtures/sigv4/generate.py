#!/usr/bin/env python3
"""Generates SigV4 known-answer vectors with botocore (run once; commit vectors.json).

    python3 Tests/AWSClientTests/Fixtures/sigv4/generate.py

Each case gives the request exactly as the Swift client hands it to its signer (lower-case
headers, no Host, body as UTF-8 text) plus the signer options; botocore's SigV4Auth (or
S3SigV4Auth for S3 rules) signs the same request at a fixed time, and the resulting
Authorization, X-Amz-Date, X-Amz-Content-SHA256 and X-Amz-Security-Token headers and the
canonical request are recorded. The Swift test signs each case and compares byte for byte.
"""
import datetime
import hashlib
import json
import os
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EMPTY = hashlib.sha256(b"").hexdigest()
TIMESTAMP = datetime.datetime(2024, 3, 7, 13, 45, 9)
KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/with+slash=="

CASES = [
    dict(name="iam-listusers-query", method="POST", url="https://iam.amazonaws.com/",
         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
         body="Action=ListUsers&Version=2010-05-08", service="iam", region="us-east-1"),
    dict(name="iam-listusers-session-token", method="POST", url="https://iam.amazonaws.com/",
         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
         body="Action=ListUsers&MaxItems=10&Version=2010-05-08", service="iam", region="us-east-1", token=True),
    dict(name="sts-assumerole-special-chars", method="POST", url="https://sts.eu-west-1.amazonaws.com/",
         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
         body="Action=AssumeRole&ExternalId=a%20b%2Bc%2Fd%3De~f%C3%BC&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Faudit"
              "&RoleSessionName=sop-verify&Version=2011-06-15",
         service="sts", region="eu-west-1"),
    dict(name="ec2-describe-security-groups-filters", method="POST", url="https://ec2.eu-central-1.amazonaws.com/",
         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
         body="Action=DescribeSecurityGroups&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-0abc&Version=2016-11-15",
         service="ec2", region="eu-central-1"),
    dict(name="organizations-listroots-json11", method="POST", url="https://organizations.us-east-1.amazonaws.com/",
         headers={"content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSOrganizationsV20161128.ListRoots"},
         body="{}", service="organizations", region="us-east-1"),
    dict(name="cloudwatch-describealarms-json10", method="POST", url="https://monitoring.ap-southeast-2.amazonaws.com/",
         headers={"content-type": "application/x-amz-json-1.0",
                  "x-amz-target": "GraniteServiceVersion20100801.DescribeAlarms"},
         body='{"AlarmNamePrefix":"billing","MaxRecords":50}', service="monitoring", region="ap-southeast-2"),
    dict(name="guardduty-listdetectors-empty-body", method="GET", url="https://guardduty.us-west-2.amazonaws.com/detector",
         headers={}, body="", service="guardduty", region="us-west-2"),
    dict(name="guardduty-listdetectors-query-token", method="GET",
         url="https://guardduty.us-west-2.amazonaws.com/detector?maxResults=50&nextToken=abc%2Fdef%3D%3D",
         headers={}, body="", service="guardduty", region="us-west-2", token=True),
    dict(name="lambda-getpolicy-encoded-arn-double-encoded", method="GET",
         url="https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
             "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aresponder/policy",
         headers={}, body="", service="lambda", region="us-east-1"),
    dict(name="backup-plans-trailing-slash", method="GET", url="https://backup.eu-west-1.amazonaws.com/backup/plans/",
         headers={}, body="", service="backup", region="eu-west-1"),
    dict(name="account-getalternatecontact-post-json", method="POST",
         url="https://account.us-east-1.amazonaws.com/getAlternateContact",
         headers={"content-type": "application/json"}, body='{"AlternateContactType":"SECURITY"}',
         service="account", region="us-east-1"),
    dict(name="non-s3-dot-segments-normalised", method="GET", url="https://example.amazonaws.com/a/./b/../c//d/",
         headers={}, body="", service="service", region="us-east-1"),
    dict(name="repeated-and-unsorted-query-keys", method="GET", url="https://example.amazonaws.com/?b=2&a=1&a=0&c",
         headers={"x-amz-meta-spaces": "  several   spaces\tand tab  "}, body="", service="service", region="us-east-1"),
    dict(name="moto-port-host-header", method="POST", url="http://127.0.0.1:5000/",
         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
         body="Action=GetCallerIdentity&Version=2011-06-15", service="sts", region="us-east-1"),
    dict(name="s3-get-bucket-encryption-path-style", method="GET", url="http://127.0.0.1:5000/my-bucket?encryption",
         headers={}, body="", service="s3", region="us-east-1", s3=True),
    dict(name="s3-virtual-host-subresource", method="GET", url="https://my-bucket.s3.eu-west-1.amazonaws.com/?publicAccessBlock",
         headers={}, body="", service="s3", region="eu-west-1", s3=True, token=True),
    dict(name="s3-key-no-double-encoding", method="GET", url="https://s3.amazonaws.com/my.bucket/a%20b/c%2Bd~e",
         headers={}, body="", service="s3", region="us-east-1", s3=True),
    dict(name="s3control-public-access-block", method="GET",
         url="https://123456789012.s3-control.us-east-1.amazonaws.com/v20180820/configuration/publicAccessBlock",
         headers={"x-amz-account-id": "123456789012"}, body="", service="s3", region="us-east-1", s3=True),
]


def sign(case):
    credentials = Credentials(KEY, SECRET, TOKEN if case.get("token") else None)
    headers = dict(case["headers"])
    body = case["body"].encode("utf-8")
    s3 = case.get("s3", False)
    if not s3 and not body:
        # The Swift signer's default (`whenBodyEmpty`): see Documentation/aws-checks.md §5.
        headers["X-Amz-Content-SHA256"] = EMPTY
    request = AWSRequest(method=case["method"], url=case["url"], headers=headers, data=body)
    auth_class = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
    auth = auth_class(credentials, case["service"], case["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=TIMESTAMP):
        auth.add_auth(request)
        authorization = request.headers["Authorization"]
        del request.headers["Authorization"]
        canonical = auth.canonical_request(request)
        request.headers["Authorization"] = authorization
    out = {k.lower(): v for k, v in request.headers.items()
           if k.lower() in ("authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token")}
    return dict(case, s3=s3, token=bool(case.get("token")), expected=out, canonicalRequest=canonical)


def main():
    vectors = dict(
        generator=f"botocore {botocore.__version__}",
        timestamp=TIMESTAMP.strftime("%Y%m%dT%H%M%SZ"),
        accessKeyId=KEY, secretAccessKey=SECRET, sessionToken=TOKEN,
        cases=[sign(case) for case in CASES],
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w") as handle:
        json.dump(vectors, handle, indent=2, sort_keys=True)
        handle.write("\n")
    print(f"wrote {len(CASES)} cases to {path}")


if __name__ == "__main__":
    main()

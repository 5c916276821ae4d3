#!/usr/bin/env python3
"""Build a COMPLIANT or NONCOMPLIANT AWS account in a running moto_server.

Each account lives in its own moto account id (selected with the `x-moto-account-id`
header while building). The script creates an IAM user `auditor` with an access key
in that account and writes the key to an AWS shared-credentials file (never to
stdout), so `sop verify` can use it like any customer profile: moto maps the key to
its account.

    build_account.py --endpoint http://127.0.0.1:PORT --kind compliant \
        --account 111111111111 --regions us-east-1,eu-west-1 \
        --credentials-file /tmp/creds --profile compliant

`--kind remediate --account 222222222222` later fixes three findings of the
noncompliant account, so a second `sop verify` shows "3 fixed, 0 new".

Prints one JSON object with the ids of resources the tests assert on.
The deliberate violations of the noncompliant account are listed in VIOLATIONS.
"""
import argparse
import io
import json
import sys
import zipfile

import boto3
from botocore.config import Config

# check id -> what the noncompliant account does wrong (documentation for the tests).
VIOLATIONS = {
    "iam_password_policy_strong": "length 8, reuse prevention 12, no symbols",
    "iam_user_console_mfa_enabled": "user bob has a console password and no MFA",
    "iam_groups_required_with_members": "ReadOnly group missing; user carol has a direct policy",
    "iam_billing_access_assigned": "no billing policy anywhere",
    "organizations_all_features_enabled": "consolidated billing only",
    "organizations_required_ous_populated": "Testing OU empty",
    "organizations_scps_attached": "no custom SCP",
    "organizations_tag_policy_attached": "TAG_POLICY not enabled",
    "budgets_billing_alerts_configured": "no budget, no billing alarm",
    "cloudtrail_multi_region_logging": "single-region trail without log file validation",
    "cloudtrail_logs_encrypted_bucket": "bucket unencrypted, no Block Public Access",
    "config_recorder_all_resources": "us-east-1 records selected types only; eu-west-1 has none",
    "config_rule_encrypted_volumes": "no ENCRYPTED_VOLUMES rule",
    "config_rule_required_tags": "no REQUIRED_TAGS rule",
    "guardduty_detector_enabled": "detector disabled in us-east-1, none elsewhere",
    "guardduty_findings_notified": "no EventBridge rule",
    "ec2_vpc_environments_segmented": "only a Production VPC, without a private subnet",
    "ec2_securitygroup_admin_ports_restricted": "security group open-ssh allows 22 from 0.0.0.0/0",
    "ec2_networkacl_custom_restrictive": "Production subnets on the default NACL",
    "cloudwatch_dashboards_present": "no dashboard",
    "cloudwatch_alarms_actionable": "alarm cpu-high has no actions",
    "logs_retention_configured": "log group /app/debug keeps 7 days",
    "backup_plan_with_selection": "no backup plan",
    "lambda_incident_response_wired": "function isolate-instance is not invocable by SNS or EventBridge",
    "sns_alert_topic_subscribed": "topic alerts has no subscription",
    "account_alternate_contacts_set": "no alternate contacts",
    "s3_account_public_access_blocked": "no account-level Block Public Access",
    "ec2_ebs_encryption_by_default": "encryption by default off; unencrypted volume",
}

ENVIRONMENTS = ["Production", "Development", "Testing"]
TAG_KEYS = ["Environment", "Department", "Project"]


class Builder:
    def __init__(self, endpoint, account, regions):
        self.endpoint = endpoint
        self.account = account
        self.regions = regions
        self.home = regions[0]
        self.out = {"account": account, "regions": regions}

    def client(self, service, region=None):
        client = boto3.client(
            service,
            region_name=region or self.home,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
        )

        def add_account(request, **_):
            request.headers["x-moto-account-id"] = self.account
            # botocore puts "{AccountId}." in front of the S3 Control host, which moto cannot resolve.
            request.url = request.url.replace(f"//{self.account}.", "//")

        client.meta.events.register("before-sign.*.*", add_account)
        return client

    # -- shared pieces ---------------------------------------------------------
    def auditor(self, credentials_file, profile, group=None):
        iam = self.client("iam")
        iam.create_user(UserName="auditor")
        if group:
            iam.add_user_to_group(GroupName=group, UserName="auditor")
        key = iam.create_access_key(UserName="auditor")["AccessKey"]
        with open(credentials_file, "a") as f:
            f.write(f"[{profile}]\naws_access_key_id = {key['AccessKeyId']}\n"
                    f"aws_secret_access_key = {key['SecretAccessKey']}\n\n")
        self.out["auditor_arn"] = f"arn:aws:iam::{self.account}:user/auditor"

    def policy(self, name, actions):
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        return self.client("iam").create_policy(PolicyName=name, PolicyDocument=json.dumps(doc))["Policy"]["Arn"]

    def console_user(self, name, group=None, mfa=True):
        iam = self.client("iam")
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password="Corr3ct-Horse-Battery!")
        if group:
            iam.add_user_to_group(GroupName=group, UserName=name)
        if mfa:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456",
                                  AuthenticationCode2="654321")
        return f"arn:aws:iam::{self.account}:user/{name}"

    def topic(self, region, name, subscribe=True):
        sns = self.client("sns", region)
        arn = sns.create_topic(Name=name)["TopicArn"]
        if subscribe:
            sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="secops@example.com")
        return arn

    def vpc(self, ec2, environment, private=True, nacl=True):
        cidr = {"Production": "10.1", "Development": "10.2", "Testing": "10.3"}[environment]
        vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16", TagSpecifications=[{
            "ResourceType": "vpc", "Tags": [{"Key": "Environment", "Value": environment}]}])["Vpc"]["VpcId"]
        public = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr}.1.0/24")["Subnet"]["SubnetId"]
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public)
        subnets = [public]
        if private:
            private_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr}.2.0/24")["Subnet"]["SubnetId"]
            eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
            nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)["NatGateway"]["NatGatewayId"]
            private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
            ec2.associate_route_table(RouteTableId=private_rt, SubnetId=private_subnet)
            subnets.append(private_subnet)
        if nacl:
            acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
            for number, port in ((100, 22), (110, 3389)):
                ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=number, Protocol="6", RuleAction="deny",
                                             Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": port, "To": port})
            ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=200, Protocol="6", RuleAction="allow",
                                         Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
            ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="-1", RuleAction="allow",
                                         Egress=True, CidrBlock="0.0.0.0/0")
            associations = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                               {"Name": "default", "Values": ["true"]}])
            for entry in associations["NetworkAcls"][0]["Associations"]:
                if entry["SubnetId"] in subnets:
                    ec2.replace_network_acl_association(AssociationId=entry["NetworkAclAssociationId"], NetworkAclId=acl)
        return vpc, subnets

    def lambda_function(self, region, name):
        iam = self.client("iam")
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                          "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("handler.py", "def handler(event, context):\n    return event\n")
        return self.client("lambda", region).create_function(
            FunctionName=name, Runtime="python3.12", Role=role, Handler="handler.handler",
            Code={"ZipFile": buffer.getvalue()})["FunctionArn"]

    # -- the two accounts --------------------------------------------------------
    def compliant(self, credentials_file, profile):
        iam = self.client("iam")
        iam.update_account_password_policy(
            MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=24, AllowUsersToChangePassword=True)
        admin = self.policy("AdministratorAccessStandIn", "*")
        developer = self.policy("DeveloperAccess", ["ec2:*", "s3:*", "lambda:*"])
        readonly = self.policy("ReadOnlyStandIn", ["ec2:Describe*", "s3:Get*", "s3:List*"])
        billing = self.policy("BillingAccess", ["aws-portal:ViewBilling", "ce:Get*", "budgets:ViewBudget"])
        for group, arn in (("Admins", admin), ("Developers", developer), ("ReadOnly", readonly), ("Finance", billing)):
            iam.create_group(GroupName=group)
            iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        self.console_user("alice", "Admins")
        self.console_user("dev1", "Developers")
        self.console_user("rita", "ReadOnly")
        self.console_user("fin", "Finance")
        self.auditor(credentials_file, profile, group="Admins")

        org = self.client("organizations", "us-east-1")
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]["Id"]
        for policy_type in ("SERVICE_CONTROL_POLICY", "TAG_POLICY"):
            try:  # moto 5.2.1 leaves both off on a new root; AWS turns SCPs on with all features
                org.enable_policy_type(RootId=root, PolicyType=policy_type)
            except org.exceptions.PolicyTypeAlreadyEnabledException:
                pass
        ous = {}
        for name in ENVIRONMENTS:
            ou = org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
            ous[name] = ou
            status = org.create_account(Email=f"{name.lower()}@example.com", AccountName=f"compliant-{name.lower()}")
            member = status["CreateAccountStatus"]["AccountId"]
            org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)
        scp = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
        policy = org.create_policy(Name="DenyLeaveOrganization", Type="SERVICE_CONTROL_POLICY", Description="guardrail",
                                   Content=json.dumps(scp))["Policy"]["PolicySummary"]["Id"]
        org.attach_policy(PolicyId=policy, TargetId=root)
        tags = {"tags": {key.lower(): {"tag_key": {"@@assign": key}} for key in TAG_KEYS}}
        tag_policy = org.create_policy(Name="StandardTags", Type="TAG_POLICY", Description="tags",
                                       Content=json.dumps(tags))["Policy"]["PolicySummary"]["Id"]
        org.attach_policy(PolicyId=tag_policy, TargetId=root)

        alerts = {region: self.topic(region, "security-alerts") for region in self.regions}
        budgets = self.client("budgets", "us-east-1")
        budgets.create_budget(
            AccountId=self.account,
            Budget={"BudgetName": "monthly", "BudgetLimit": {"Amount": "1000", "Unit": "USD"}, "TimeUnit": "MONTHLY",
                    "BudgetType": "COST"},
            NotificationsWithSubscribers=[{
                "Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0},
                "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "billing@example.com"}]}])
        billing_topic = alerts.get("us-east-1") or self.topic("us-east-1", "security-alerts")
        self.client("cloudwatch", "us-east-1").put_metric_alarm(
            AlarmName="billing-over-1000", Namespace="AWS/Billing", MetricName="EstimatedCharges",
            Dimensions=[{"Name": "Currency", "Value": "USD"}], Statistic="Maximum", Period=21600, EvaluationPeriods=1,
            Threshold=1000, ComparisonOperator="GreaterThanThreshold", ActionsEnabled=True, AlarmActions=[billing_topic])

        s3 = self.client("s3", "us-east-1")
        bucket = f"trail-logs-{self.account}"
        s3.create_bucket(Bucket=bucket)
        key = self.client("kms", self.home).create_key(Description="cloudtrail")["KeyMetadata"]["Arn"]
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        trail = self.client("cloudtrail", self.home)
        trail.create_trail(Name="org-trail", S3BucketName=bucket, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True,
                           EnableLogFileValidation=True, KmsKeyId=key)
        trail.start_logging(Name="org-trail")
        trail.put_event_selectors(TrailName="org-trail", EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}])

        for region in self.regions:
            config = self.client("config", region)
            config.put_configuration_recorder(ConfigurationRecorder={
                "name": "default", "roleARN": f"arn:aws:iam::{self.account}:role/config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": region == self.home}})
            config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
            config.start_configuration_recorder(ConfigurationRecorderName="default")
            config.put_config_rule(ConfigRule={"ConfigRuleName": "encrypted-volumes",
                                               "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}})
            config.put_config_rule(ConfigRule={
                "ConfigRuleName": "required-tags", "Source": {"Owner": "AWS", "SourceIdentifier": "REQUIRED_TAGS"},
                "InputParameters": json.dumps({f"tag{i + 1}Key": key for i, key in enumerate(TAG_KEYS)})})
            self.client("guardduty", region).create_detector(Enable=True)
            events = self.client("events", region)
            events.put_rule(Name="guardduty-findings", EventPattern=json.dumps({"source": ["aws.guardduty"]}), State="ENABLED")
            events.put_targets(Rule="guardduty-findings", Targets=[{"Id": "sns", "Arn": alerts[region]}])
            ec2 = self.client("ec2", region)
            ec2.enable_ebs_encryption_by_default()
            self.client("logs", region).create_log_group(logGroupName="/aws/cloudtrail/org-trail")
            self.client("logs", region).put_retention_policy(logGroupName="/aws/cloudtrail/org-trail", retentionInDays=365)

        ec2 = self.client("ec2", self.home)
        self.out["vpcs"] = {env: self.vpc(ec2, env)[0] for env in ENVIRONMENTS}
        ec2.create_security_group(GroupName="web", Description="https", VpcId=self.out["vpcs"]["Production"])
        self.client("cloudwatch", self.home).put_dashboard(
            DashboardName="operations", DashboardBody=json.dumps({"widgets": []}))
        function = self.lambda_function(self.home, "isolate-instance")
        self.client("lambda", self.home).add_permission(
            FunctionName="isolate-instance", StatementId="sns", Action="lambda:InvokeFunction",
            Principal="sns.amazonaws.com", SourceArn=alerts[self.home])
        self.client("sns", self.home).subscribe(TopicArn=alerts[self.home], Protocol="lambda", Endpoint=function)
        backup = self.client("backup", self.home)
        backup.create_backup_vault(BackupVaultName="primary")
        backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [{
            "RuleName": "daily", "TargetBackupVaultName": "primary", "ScheduleExpression": "cron(0 5 ? * * *)",
            "Lifecycle": {"DeleteAfterDays": 35}}]})
        account = self.client("account", "us-east-1")
        for kind in ("SECURITY", "BILLING", "OPERATIONS"):
            account.put_alternate_contact(AlternateContactType=kind, EmailAddress=f"{kind.lower()}@example.com",
                                          Name=f"{kind.title()} Team", PhoneNumber="+15555550100", Title="Team")
        self.client("s3control", "us-east-1").put_public_access_block(AccountId=self.account, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})

    def noncompliant(self, credentials_file, profile):
        iam = self.client("iam")
        iam.update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=False, RequireNumbers=True,
                                           RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
                                           MaxPasswordAge=90, PasswordReusePrevention=12)
        admin = self.policy("AdministratorAccessStandIn", "*")
        for group in ("Admins", "Developers"):
            iam.create_group(GroupName=group)
            iam.attach_group_policy(GroupName=group, PolicyArn=admin)
        self.console_user("alice", "Admins")
        self.out["bob"] = self.console_user("bob", "Developers", mfa=False)
        iam.create_user(UserName="carol")
        iam.add_user_to_group(GroupName="Developers", UserName="carol")
        iam.attach_user_policy(UserName="carol", PolicyArn=admin)
        self.out["carol"] = f"arn:aws:iam::{self.account}:user/carol"
        self.auditor(credentials_file, profile, group="Admins")

        org = self.client("organizations", "us-east-1")
        org.create_organization(FeatureSet="CONSOLIDATED_BILLING")
        root = org.list_roots()["Roots"][0]["Id"]
        for name in ENVIRONMENTS:
            ou = org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
            if name != "Testing":
                member = org.create_account(Email=f"nc-{name.lower()}@example.com",
                                            AccountName=f"noncompliant-{name.lower()}")["CreateAccountStatus"]["AccountId"]
                org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)

        s3 = self.client("s3", "us-east-1")
        bucket = f"trail-logs-{self.account}"
        s3.create_bucket(Bucket=bucket)
        self.out["trail_bucket"] = bucket
        trail = self.client("cloudtrail", self.home)
        arn = trail.create_trail(Name="local-trail", S3BucketName=bucket, IsMultiRegionTrail=False,
                                 EnableLogFileValidation=False)["TrailARN"]
        trail.start_logging(Name="local-trail")
        self.out["trail_arn"] = arn

        config = self.client("config", self.home)
        config.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": f"arn:aws:iam::{self.account}:role/config",
            "recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": False,
                               "resourceTypes": ["AWS::EC2::Instance"]}})
        self.out["detector"] = self.client("guardduty", self.home).create_detector(Enable=False)["DetectorId"]
        self.out["unsubscribed_topic"] = self.topic(self.home, "alerts", subscribe=False)

        ec2 = self.client("ec2", self.home)
        vpc, subnets = self.vpc(ec2, "Production", private=False, nacl=False)
        self.out["vpcs"] = {"Production": vpc}
        self.out["default_nacl_subnets"] = subnets
        sg = ec2.create_security_group(GroupName="open-ssh", Description="ssh from anywhere", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        self.out["open_sg"] = sg
        volume = ec2.create_volume(AvailabilityZone=f"{self.home}a", Size=8, Encrypted=False)["VolumeId"]
        self.out["unencrypted_volume"] = volume
        self.client("cloudwatch", self.home).put_metric_alarm(
            AlarmName="cpu-high", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average", Period=300,
            EvaluationPeriods=1, Threshold=90, ComparisonOperator="GreaterThanThreshold", ActionsEnabled=False)
        logs = self.client("logs", self.home)
        logs.create_log_group(logGroupName="/app/debug")
        logs.put_retention_policy(logGroupName="/app/debug", retentionInDays=7)
        self.out["function"] = self.lambda_function(self.home, "isolate-instance")


    def remediate(self, credentials_file, profile):
        """Fixes three findings of the noncompliant account (for a second run: "3 fixed, 0 new")."""
        iam = self.client("iam")
        iam.update_account_password_policy(
            MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=24)
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName="bob", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
        self.client("s3control", "us-east-1").put_public_access_block(AccountId=self.account, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        self.out["fixed"] = ["iam_password_policy_strong", "iam_user_console_mfa_enabled", "s3_account_public_access_blocked"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--kind", choices=["compliant", "noncompliant", "remediate"], required=True,
                        help="remediate fixes three findings of an account built as noncompliant")
    parser.add_argument("--account", required=True)
    parser.add_argument("--regions", default="us-east-1,eu-west-1")
    parser.add_argument("--credentials-file", help="where to append the auditor key (not for remediate)")
    parser.add_argument("--profile", help="profile name for the auditor key (not for remediate)")
    args = parser.parse_args()
    builder = Builder(args.endpoint, args.account, [r for r in args.regions.split(",") if r])
    if args.kind != "remediate" and not (args.credentials_file and args.profile):
        parser.error("--credentials-file and --profile are required to build an account")
    getattr(builder, args.kind)(args.credentials_file, args.profile)
    if args.kind == "noncompliant":
        builder.out["violations"] = VIOLATIONS
    json.dump(builder.out, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()

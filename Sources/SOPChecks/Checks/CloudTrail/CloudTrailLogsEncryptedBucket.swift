extension Check {
    /// Multi-region trails write to an encrypted bucket that blocks public access.
    static let cloudtrailLogsEncryptedBucket = Check(
        id: "cloudtrail_logs_encrypted_bucket",
        title: "Trail logs in an encrypted, private bucket",
        items: ["cloudtrail.configure", "cloudtrail.encrypted-bucket"],
        scope: .global,
        needs: [.trails, .trailBuckets],
        criterion:
            "Every multi-region trail (every trail when none is multi-region) encrypts its logs — with a KMS key "
            + "when `cloudtrail_require_kms` is true, else with a KMS key or the bucket's default encryption — and its "
            + "bucket blocks all public access (all four Block Public Access flags).",
        controls: ["CIS 3.3", "CIS 3.7", "CloudTrail.2", "CloudTrail.6"],
        parameters: [
            CheckParameter("cloudtrail_require_kms", default: .boolean(false), "require SSE-KMS for trail logs")
        ],
        notes: "AWS encrypts every bucket with SSE-S3 since January 2023; only the emulator shows unencrypted buckets.",
        examples: [
            CheckExample(
                "KMS key and private bucket", .pass, parameters: ["cloudtrail_require_kms": .boolean(true)],
                snapshot: Snapshot {
                    $0.trails = .value([
                        Trail(name: "org", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1", s3BucketName: "logs")
                    ])
                    $0.trailBuckets = .value([BucketSecurity(name: "logs")])
                }),
            CheckExample(
                "SSE-S3 when KMS is not required", .pass,
                snapshot: Snapshot {
                    $0.trails = .value([Trail(name: "org", s3BucketName: "logs")])
                    $0.trailBuckets = .value([BucketSecurity(name: "logs", sseAlgorithm: .value("AES256"))])
                }),
            CheckExample(
                "KMS required, SSE-S3 only", .fail, resources: ["arn:aws:cloudtrail:us-east-1:123456789012:trail/org"],
                parameters: ["cloudtrail_require_kms": .boolean(true)],
                snapshot: Snapshot {
                    $0.trails = .value([Trail(name: "org", s3BucketName: "logs")])
                    $0.trailBuckets = .value([BucketSecurity(name: "logs", sseAlgorithm: .value("AES256"))])
                }),
            CheckExample(
                "unencrypted, public bucket", .fail, resources: ["logs"],
                snapshot: Snapshot {
                    $0.trails = .value([Trail(name: "org", s3BucketName: "logs")])
                    $0.trailBuckets = .value([
                        BucketSecurity(name: "logs", sseAlgorithm: .value(nil), publicAccessBlock: .value(nil))
                    ])
                }),
            CheckExample(
                "bucket in another account", .error,
                snapshot: Snapshot {
                    $0.trails = .value([Trail(name: "org", s3BucketName: "central-logs")])
                    $0.trailBuckets = .value([
                        BucketSecurity(
                            name: "central-logs",
                            sseAlgorithm: .failed(
                                FetchFailure(
                                    code: "AccessDenied", message: "", operation: "s3:GetBucketEncryption")))
                    ])
                }),
        ]
    ) { input throws(FetchFailure) in
        let trails = try input.snapshot.trails.get("cloudtrail:DescribeTrails")
        let buckets = try input.snapshot.trailBuckets.get("s3:GetBucketEncryption")
        let requireKMS = try input.boolean("cloudtrail_require_kms")
        if trails.isEmpty { return .fail("no CloudTrail trail") }
        let judged = trails.contains(where: \.isMultiRegion) ? trails.filter(\.isMultiRegion) : trails
        var problems: [String] = []
        var offenders: [String] = []
        for trail in judged.sorted(by: { $0.arn < $1.arn }) {
            guard let bucketName = trail.s3BucketName else {
                problems.append("\(trail.name) has no bucket")
                offenders.append(trail.arn)
                continue
            }
            guard let bucket = buckets.first(where: { $0.name == bucketName }) else {
                return .error("bucket \(bucketName) of trail \(trail.name) was not read")
            }
            let hasKMS = !(trail.kmsKeyId ?? "").isEmpty
            if !hasKMS {
                if requireKMS {
                    problems.append("\(trail.name) logs are not encrypted with KMS")
                    offenders.append(trail.arn)
                } else {
                    let algorithm = try bucket.sseAlgorithm.get("s3:GetBucketEncryption \(bucketName)")
                    if algorithm == nil {
                        problems.append("bucket \(bucketName) has no default encryption")
                        offenders.append(bucketName)
                    }
                }
            }
            let block = try bucket.publicAccessBlock.get("s3:GetPublicAccessBlock \(bucketName)")
            if block?.blocksAll != true {
                problems.append("bucket \(bucketName) does not block all public access")
                if !offenders.contains(bucketName) { offenders.append(bucketName) }
            }
        }
        return problems.isEmpty
            ? .pass("trail logs encrypted\(requireKMS ? " with KMS" : "") in private buckets")
            : .fail(problems.joined(separator: "; "), resources: offenders)
    }
}

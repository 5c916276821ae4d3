/// A trail as `cloudtrail:DescribeTrails(includeShadowTrails)` shows it, with its status and
/// management-event selectors read from its home region.
public struct Trail: Sendable, Equatable, Codable {
    public var name: String
    public var arn: String
    public var homeRegion: String
    public var isMultiRegion: Bool
    public var includesGlobalServiceEvents: Bool
    public var logFileValidationEnabled: Bool
    public var kmsKeyId: String?
    public var s3BucketName: String?
    /// `GetTrailStatus.IsLogging`.
    public var isLogging: Fetched<Bool>
    /// True when an event selector records management events with ReadWriteType `All`
    /// (or an advanced selector selects the Management category without a readOnly filter).
    public var recordsAllManagementEvents: Fetched<Bool>

    public init(
        name: String, arn: String = "", homeRegion: String = "us-east-1", isMultiRegion: Bool = true,
        includesGlobalServiceEvents: Bool = true, logFileValidationEnabled: Bool = true,
        kmsKeyId: String? = nil, s3BucketName: String? = nil,
        isLogging: Fetched<Bool> = .value(true), recordsAllManagementEvents: Fetched<Bool> = .value(true)
    ) {
        self.name = name
        self.arn = arn.isEmpty ? "arn:aws:cloudtrail:\(homeRegion):123456789012:trail/\(name)" : arn
        self.homeRegion = homeRegion
        self.isMultiRegion = isMultiRegion
        self.includesGlobalServiceEvents = includesGlobalServiceEvents
        self.logFileValidationEnabled = logFileValidationEnabled
        self.kmsKeyId = kmsKeyId
        self.s3BucketName = s3BucketName
        self.isLogging = isLogging
        self.recordsAllManagementEvents = recordsAllManagementEvents
    }
}

/// The four Block Public Access flags (bucket or account level).
public struct PublicAccessBlock: Sendable, Equatable, Codable {
    public var blockPublicAcls: Bool
    public var ignorePublicAcls: Bool
    public var blockPublicPolicy: Bool
    public var restrictPublicBuckets: Bool

    public init(blockPublicAcls: Bool, ignorePublicAcls: Bool, blockPublicPolicy: Bool, restrictPublicBuckets: Bool) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }

    public static let all = PublicAccessBlock(
        blockPublicAcls: true, ignorePublicAcls: true,
        blockPublicPolicy: true, restrictPublicBuckets: true)
    public var blocksAll: Bool { blockPublicAcls && ignorePublicAcls && blockPublicPolicy && restrictPublicBuckets }
}

/// Security settings of a trail's log bucket.
public struct BucketSecurity: Sendable, Equatable, Codable {
    public var name: String
    /// Default encryption algorithm (`aws:kms`, `aws:kms:dsse`, `AES256`); nil when none is configured.
    public var sseAlgorithm: Fetched<String?>
    /// nil when the bucket has no Block Public Access configuration.
    public var publicAccessBlock: Fetched<PublicAccessBlock?>

    public init(
        name: String, sseAlgorithm: Fetched<String?> = .value("aws:kms"),
        publicAccessBlock: Fetched<PublicAccessBlock?> = .value(.all)
    ) {
        self.name = name
        self.sseAlgorithm = sseAlgorithm
        self.publicAccessBlock = publicAccessBlock
    }
}

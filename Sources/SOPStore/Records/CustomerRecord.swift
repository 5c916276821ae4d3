import GRDB
import SOPCore

/// A row of `customer`: who the customer is, how to reach their AWS account, which template they follow.
struct CustomerRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "customer"

    var id: Int64?
    var slug: String
    var name: String
    var email: String
    var address: String?
    var phone: String?
    var contacts: [String]
    var owner: String?
    var due: String?
    var compliance: [String]
    var regions: [String]
    var awsProfile: String?
    var roleArn: String?
    var externalId: String?
    var parameters: [String: ParameterValue]
    var templateId: String
    var templateVersion: String
    var templateSha256: String
    var templateTitle: String
    var createdAt: String
    var createdBy: String
    var lastActivityAt: String

    enum Columns {
        static let id = Column("id")
        static let slug = Column("slug")
        static let lastActivityAt = Column("last_activity_at")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

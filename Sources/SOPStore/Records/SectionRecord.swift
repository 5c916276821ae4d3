import GRDB
import SOPCore

/// A row of `section`: one template heading as the customer's snapshot holds it.
struct SectionRecord: SnakeCaseRecord, PersistableRecord, Equatable {
    static let databaseTableName = "section"

    var customerId: Int64
    var number: String
    var ordinal: Int
    var title: String
    var level: Int
    var signoffRoles: [String]
    var archivedAt: String?

    enum Columns {
        static let customerId = Column("customer_id")
        static let number = Column("number")
        static let ordinal = Column("ordinal")
        static let archivedAt = Column("archived_at")
    }
}

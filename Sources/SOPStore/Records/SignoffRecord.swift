import GRDB
import SOPCore

/// A row of `signoff`: a role's approval of an item or section, pinned to the evidence it saw.
struct SignoffRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "signoff"

    var id: Int64?
    var customerId: Int64
    var target: String
    var targetKind: String
    var role: String
    var signedBy: String
    var signedAt: String
    var note: String?
    var evidenceHash: String
    var revokedAt: String?
    var revokedBy: String?
    var revokedReason: String?

    enum Columns {
        static let id = Column("id")
        static let customerId = Column("customer_id")
        static let target = Column("target")
        static let role = Column("role")
        static let revokedAt = Column("revoked_at")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

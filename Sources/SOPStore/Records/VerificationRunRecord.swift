import GRDB
import SOPCore

/// A row of `verification_run`: one `sop verify` run as recorded, with its counts.
struct VerificationRunRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "verification_run"

    var id: Int64?
    var customerId: Int64
    var startedAt: String
    var finishedAt: String
    var recordedAt: String
    var recordedBy: String
    var account: String?
    var passed: Int
    var failed: Int
    var errors: Int
    var notApplicable: Int
    var content: String
    var sha256: String

    enum Columns {
        static let id = Column("id")
        static let customerId = Column("customer_id")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `check_state`: the latest outcome of one check on one item and region.
struct CheckStateRecord: SnakeCaseRecord, PersistableRecord, Equatable {
    static let databaseTableName = "check_state"

    var customerId: Int64
    var itemId: String
    var checkId: String
    var region: String
    var outcome: String
    var summary: String
    var verificationRunId: Int64
    var evidenceId: Int64
    var since: String
    var updatedAt: String

    enum Columns {
        static let customerId = Column("customer_id")
        static let itemId = Column("item_id")
        static let outcome = Column("outcome")
    }
}

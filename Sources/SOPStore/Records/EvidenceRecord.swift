import GRDB
import SOPCore

/// A row of `evidence`: a note, file, link or check result attached to an item.
///
/// Rows are never deleted; retraction fills the `retracted_*` columns.
struct EvidenceRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "evidence"

    var id: Int64?
    var customerId: Int64
    var itemId: String
    var kind: String
    var text: String?
    var blobSha256: String?
    var sha256: String
    var fileName: String?
    var mediaType: String?
    var size: Int
    var addedBy: String
    var addedAt: String
    var expires: String?
    var `internal`: Bool
    var checkId: String?
    var checkRegion: String?
    var checkOutcome: String?
    var verificationRunId: Int64?
    var retractedAt: String?
    var retractedBy: String?
    var retractedReason: String?

    enum Columns {
        static let id = Column("id")
        static let customerId = Column("customer_id")
        static let itemId = Column("item_id")
        static let kind = Column("kind")
        static let retractedAt = Column("retracted_at")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

import GRDB
import SOPCore

/// A row of `audit_event`: one change, chained to the previous row by hash.
struct AuditEventRecord: SnakeCaseRecord, PersistableRecord, Equatable {
    static let databaseTableName = "audit_event"

    var seq: Int64
    var customer: String?
    var actor: String
    var at: String
    var action: String
    var target: String
    var before: String
    var after: String
    var prevHash: String
    var hash: String
    /// The images of the rows this event wrote (``RowImage/column(_:)``); nil for events
    /// written before the chain covered the state.
    var rowImages: String?

    enum Columns {
        static let seq = Column("seq")
        static let customer = Column("customer")
        static let at = Column("at")
    }
}

/// The single row of `chain_head`: how many events the chain holds and the last hash,
/// so deleting the newest events is detected too.
struct ChainHeadRecord: SnakeCaseRecord, PersistableRecord, Equatable {
    static let databaseTableName = "chain_head"

    var id: Int64
    var count: Int64
    var lastHash: String
}

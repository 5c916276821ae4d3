import GRDB
import SOPCore

/// A row of `item`: the customer's copy of a template item and its tracked state.
///
/// Identity is (customer, item id), so a template upgrade can move the row to a
/// new version by id; an item dropped by a newer template is archived, never deleted.
struct ItemRecord: SnakeCaseRecord, PersistableRecord, Equatable {
    static let databaseTableName = "item"

    var customerId: Int64
    var itemId: String
    var ordinal: Int
    var section: String
    var title: String
    var steps: [String]
    var evidenceKinds: [String]
    var signoffRoles: [String]
    var checks: [String]
    var depends: [String]
    var whenCondition: String?
    var ownerRole: String?
    var status: String
    var statusReason: String?
    var assignee: String?
    var due: String?
    var updatedAt: String
    var updatedBy: String
    var archivedAt: String?
    /// Why the status is what it is, when not a person's choice: `condition` for an item
    /// not applicable because its `when` is false for the customer (see `Applicability`).
    var statusCause: String? = nil

    enum Columns {
        static let customerId = Column("customer_id")
        static let itemId = Column("item_id")
        static let ordinal = Column("ordinal")
        static let status = Column("status")
        static let archivedAt = Column("archived_at")
    }
}

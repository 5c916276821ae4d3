import SOPCore

/// Everything known about one customer, for `sop status SLUG` and the renderer.
///
/// Encoded with snake-case keys this is the `sop status SLUG --json` contract:
/// `customer`, `template {id, version, sha256}`, `items [{id, section, title, status,
/// assignee, due, evidence [{id, kind, sha256, added_at, by}], signoffs [{role, by, at,
/// state}]}]`, `summary {total, done, in_progress, todo, blocked, not_applicable, failed}`,
/// `audit_head {events, hash}`
/// — plus extra fields.
public struct CustomerReport: Sendable, Codable, Equatable {
    public var customer: CustomerInfo
    public var template: TemplatePin
    public var sections: [SectionReport]
    public var items: [ItemReport]
    public var summary: StatusSummary
    /// Section sign-offs (item sign-offs are on their items).
    public var signoffs: [SignoffInfo]
    /// Newest first.
    public var verificationHistory: [StoredVerificationRun]
    /// Open items whose dependencies are settled, in checklist order (at most five).
    public var nextActions: [String]
    /// The day "today" was when the report was made (for overdue).
    public var today: String
    /// The audit trail's head when the report was read (in the same transaction): the packet
    /// records it, so a trail later cut short shows against it.
    public var auditHead: AuditHead
    /// The customer's waivers (nil when there are none, and left out of `status --json` then).
    public var waivers: [WaiverInfo]? = nil
    /// The accepted run (`V3`, one of `verificationHistory`), nil before `sop baseline set`.
    public var baselineRun: String? = nil
}

/// Counts of items by status. `total` counts every item, not-applicable ones included.
public struct StatusSummary: Sendable, Codable, Equatable {
    public var total = 0
    public var done = 0
    public var inProgress = 0
    public var todo = 0
    public var blocked = 0
    public var notApplicable = 0
    public var failed = 0
    public var overdue = 0

    public init() {}

    mutating func add(_ status: ItemStatus) {
        total += 1
        switch status {
        case .done: done += 1
        case .inProgress: inProgress += 1
        case .todo: todo += 1
        case .blocked: blocked += 1
        case .notApplicable: notApplicable += 1
        case .failed: failed += 1
        }
    }

    /// Items that apply to the customer.
    public var applicable: Int { total - notApplicable }

    /// Done as a whole percentage of the applicable items (100 when nothing applies).
    public var progress: Int { applicable == 0 ? 100 : Int((Double(done) * 100 / Double(applicable)).rounded(.down)) }
}

/// One template section with its progress (subsections included) and sign-offs.
public struct SectionReport: Sendable, Codable, Equatable {
    public var number: String
    public var title: String
    public var level: Int
    public var requiredSignoffs: [String]
    public var summary: StatusSummary
}

/// One item with its tracked state.
public struct ItemReport: Sendable, Codable, Equatable {
    public var id: String
    public var section: String
    public var title: String
    public var status: ItemStatus
    public var reason: String?
    public var assignee: String?
    public var due: String?
    public var overdue: Bool
    public var steps: [String]
    public var requiredEvidence: [String]
    public var requiredSignoffs: [String]
    public var checks: [String]
    public var depends: [String]
    public var when: String?
    public var ownerRole: String?
    public var updatedAt: String
    public var updatedBy: String
    /// Required evidence kinds without current evidence.
    public var missingEvidence: [String]
    /// All evidence, retracted and internal included (check `retracted_at` and `internal`).
    public var evidence: [EvidenceInfo]
    /// One entry per required role with its current state, plus earlier revoked ones.
    public var signoffs: [SignoffInfo]
    /// Latest outcome of each check on this item.
    public var checkOutcomes: [CheckOutcomeInfo]
    /// True when the evidence it rests on has aged past its validity (see ``EvidenceAgeing``).
    public var needsRenewal: Bool? = nil
}

/// One row of the portfolio (`sop status` without a slug).
///
/// `sop status --json` contract: `{"customers":[{slug, progress, total, done, blocked,
/// overdue, failing}]}` plus extra fields. `total` counts applicable items (not-applicable
/// ones excluded), `progress` is done/total in whole percent, `failing` counts failing checks.
public struct PortfolioRow: Sendable, Codable, Equatable {
    public struct Template: Sendable, Codable, Equatable {
        public var id: String
        public var version: String
    }

    public var slug: String
    public var name: String
    public var template: Template
    public var progress: Int
    public var total: Int
    public var done: Int
    public var blocked: Int
    public var overdue: Int
    public var failing: Int
    public var failedItems: Int
    public var owner: String?
    public var due: String?
    public var lastActivity: String

    /// Blocked, overdue or failing: needs attention first.
    public var needsAttention: Bool { blocked + overdue + failing + failedItems > 0 }
}

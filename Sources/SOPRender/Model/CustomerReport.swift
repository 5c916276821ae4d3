import Foundation
import SOPCore

/// Everything the renderers need to know about one customer, as plain values.
///
/// The renderers never read the tracker themselves: an adapter (``CustomerReportView/init(store:…)``
/// once the store lands, fixtures in tests) fills this in. Every string here may have been
/// typed by a user and is escaped by each output format; nothing is trusted as markup except
/// the template-authored fields documented as Markdown.
public struct CustomerReportView: Sendable, Equatable {
    public var customer: CustomerView
    public var template: TemplateInfo
    /// Sections in template order, each with its items in template order.
    public var sections: [ReportSection]
    /// Results of the latest verification run (empty when the customer was never verified).
    public var verification: [VerificationResult]
    /// Earlier and latest verification runs, newest first.
    public var verificationHistory: [VerificationRunView]
    /// Sign-offs required by the template, given or not (missing ones have no `by`).
    public var signoffs: [SignoffEntry]
    /// How IAM users receive their credentials: template-authored Markdown lines, never credentials.
    public var credentialProcess: [String]
    /// Recent audit events for this customer, newest first.
    public var activity: [ActivityEntry]
    /// The audit trail's head when the report was read, `event 42 <sha256>`: the packet states
    /// it so that a trail later cut short and re-headed shows against it.
    public var auditHead: String?
    /// Every waiver of the customer, with its state on the report's day.
    public var waivers: [WaiverView] = []

    /// The latest run held against the accepted one: the checks that regressed (the latest
    /// night's regressions), with what changed; empty without a baseline or a later run.
    public var regressions: [RegressionView] = []
    /// The accepted run's id, when there is one.
    public var baselineRun: String?

    /// Approved waivers in force: exceptions the packet lists.
    public var waiversInForce: [WaiverView] { waivers.filter(\.inForce) }

    public init(
        customer: CustomerView, template: TemplateInfo, sections: [ReportSection],
        verification: [VerificationResult] = [], verificationHistory: [VerificationRunView] = [],
        signoffs: [SignoffEntry] = [], credentialProcess: [String] = [], activity: [ActivityEntry] = [],
        auditHead: String? = nil
    ) {
        self.auditHead = auditHead
        self.customer = customer
        self.template = template
        self.sections = sections
        self.verification = verification
        self.verificationHistory = verificationHistory
        self.signoffs = signoffs
        self.credentialProcess = credentialProcess
        self.activity = activity
    }

    /// Every item of every section, in template order.
    public var items: [ReportItem] { sections.flatMap(\.items) }

    /// Progress over the items that apply (not-applicable items count neither way).
    public var progress: Progress {
        var p = Progress()
        for item in items {
            switch item.status {
            case .done:
                p.done += 1
                p.total += 1
            case .notApplicable: p.notApplicable += 1
            case .blocked:
                p.blocked += 1
                p.total += 1
            case .inProgress:
                p.inProgress += 1
                p.total += 1
            case .todo: p.total += 1
            case .failed:
                p.failed += 1
                p.total += 1
            }
        }
        return p
    }

    /// When the tracker's data for this customer last changed (newest event, evidence or
    /// verification). Publishers stamp pages with this rather than "now", so publishing
    /// unchanged data produces identical pages and the wiki reports no change.
    public var lastChange: Date? {
        let dates =
            activity.map(\.at) + items.flatMap { $0.evidence.map(\.addedAt) } + verificationHistory.map(\.at)
            + signoffs.compactMap(\.at)
        return dates.max()
    }

    /// Items not yet done (and not n/a), in template order.
    public var openItems: [ReportItem] { items.filter { $0.status != .done && $0.status != .notApplicable } }

    /// Items recorded not-applicable, or completed with `--force`: what an auditor asks about.
    public var exceptions: [ReportItem] { items.filter { $0.status == .notApplicable || $0.forced } }

    /// The same report as the given audience may see it: the customer audience loses
    /// internal evidence and internal notes.
    public func visible(to audience: Audience) -> CustomerReportView {
        guard audience == .customer else { return self }
        var copy = self
        copy.sections = sections.map { section in
            var s = section
            s.items = section.items.map { item in
                var i = item
                i.evidence = item.evidence.filter { !$0.isInternal }
                i.internalNote = nil
                return i
            }
            return s
        }
        copy.activity = []
        return copy
    }
}

/// Who a document is for.
public enum Audience: String, Sendable, CaseIterable {
    case customer, `internal`
}

public struct Progress: Sendable, Equatable {
    public var total = 0
    public var done = 0
    public var inProgress = 0
    public var blocked = 0
    public var notApplicable = 0
    public var failed = 0

    public init(
        total: Int = 0, done: Int = 0, inProgress: Int = 0, blocked: Int = 0, notApplicable: Int = 0,
        failed: Int = 0
    ) {
        self.failed = failed
        self.total = total
        self.done = done
        self.inProgress = inProgress
        self.blocked = blocked
        self.notApplicable = notApplicable
    }

    /// Whole percent done, rounded down so 99.6 % never shows as complete.
    public var percent: Int { total == 0 ? 100 : done * 100 / total }
}

public struct CustomerView: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var accountID: String?
    public var email: String?
    public var owner: String?
    public var due: Date?
    public var compliance: [String]
    public var regions: [String]

    public init(
        slug: String, name: String, accountID: String? = nil, email: String? = nil, owner: String? = nil,
        due: Date? = nil, compliance: [String] = [], regions: [String] = []
    ) {
        self.slug = slug
        self.name = name
        self.accountID = accountID
        self.email = email
        self.owner = owner
        self.due = due
        self.compliance = compliance
        self.regions = regions
    }
}

public struct TemplateInfo: Sendable, Equatable {
    public var id: String
    public var version: String
    public var sha256: String
    /// What one instance is about, as the template says ("AWS account", "employee"); nil when it
    /// names nothing, and pages use plain words.
    public var subject: String?
    /// Whether the template has automated checks: only then do packets and pages show the
    /// account, verification results and how IAM users get their credentials.
    public var verifies: Bool
    /// The subject's plural, when the template gives one.
    public var subjects: String?

    public init(
        id: String, version: String, sha256: String, subject: String? = "AWS account", subjects: String? = nil,
        verifies: Bool = true
    ) {
        self.subjects = subjects
        self.id = id
        self.version = version
        self.sha256 = sha256
        self.subject = subject
        self.verifies = verifies
    }

    /// "Customer AWS accounts", or "Customers" when the template names no subject: the wiki's home.
    public var customersTitle: String {
        guard let subject else { return "Customers" }
        return "Customer " + (subjects ?? subject + "s")
    }

    /// "AWS account handover", or "Handover" when the template names no subject.
    public var handoverTitle: String {
        guard let subject else { return "Handover" }
        return subject.prefix(1).uppercased() + subject.dropFirst() + " handover"
    }

    public var reference: String { "\(id)@\(version)" }
}

public struct ReportSection: Sendable, Equatable {
    public var number: String
    public var title: String
    /// 2 for a top-level section (`## 1.`), 3 for a subsection.
    public var level: Int
    public var items: [ReportItem]

    public init(number: String, title: String, level: Int = 2, items: [ReportItem] = []) {
        self.number = number
        self.title = title
        self.level = level
        self.items = items
    }
}

/// How pages and packets label an item's state (the state itself is SOPCore's ``ItemStatus``).
extension ItemStatus {
    public var label: String {
        switch self {
        case .failed: return "Failed"
        case .todo: return "To do"
        case .inProgress: return "In progress"
        case .done: return "Done"
        case .blocked: return "Blocked"
        case .notApplicable: return "Not applicable"
        }
    }

    /// A CSS class name and wiki-safe key.
    public var key: String {
        switch self {
        case .inProgress: return "in-progress"
        case .notApplicable: return "na"
        default: return rawValue
        }
    }
}

public struct ReportItem: Sendable, Equatable {
    public var id: String
    public var section: String
    /// Template-authored Markdown (inline).
    public var title: String
    public var status: ItemStatus
    /// Why the item is blocked, not applicable or was forced (user text).
    public var reason: String?
    /// Completed with `--force` despite missing evidence or dependencies.
    public var forced: Bool
    public var assignee: String?
    public var due: Date?
    public var evidence: [EvidenceRef]
    /// An internal-only remark on the item (user text); never shown to the customer audience.
    public var internalNote: String?
    /// The template role that owns the item (the portal lets that role add its evidence).
    public var ownerRole: String?
    /// The evidence it rests on has aged past its validity: it needs renewing.
    public var needsRenewal = false

    public init(
        id: String, section: String, title: String, status: ItemStatus = .todo, reason: String? = nil,
        forced: Bool = false, assignee: String? = nil, due: Date? = nil, evidence: [EvidenceRef] = [],
        internalNote: String? = nil
    ) {
        self.id = id
        self.section = section
        self.title = title
        self.status = status
        self.reason = reason
        self.forced = forced
        self.assignee = assignee
        self.due = due
        self.evidence = evidence
        self.internalNote = internalNote
    }

    public func isOverdue(at now: Date) -> Bool {
        guard let due, status != .done, status != .notApplicable else { return false }
        return due < now
    }
}

/// The kinds of evidence the tracker stores.
public struct EvidenceRef: Sendable, Equatable {
    public var id: String
    public var kind: EvidenceKind
    public var sha256: String
    public var addedAt: Date
    public var by: String
    public var isInternal: Bool
    /// Note text (kind note), URL (kind link), check summary (kind check).
    public var text: String?
    /// Original file name (kind file), as the user gave it.
    public var fileName: String?
    public var mediaType: String?
    public var size: Int?

    public init(
        id: String, kind: EvidenceKind, sha256: String, addedAt: Date, by: String, isInternal: Bool = false,
        text: String? = nil, fileName: String? = nil, mediaType: String? = nil, size: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.sha256 = sha256
        self.addedAt = addedAt
        self.by = by
        self.isInternal = isInternal
        self.text = text
        self.fileName = fileName
        self.mediaType = mediaType
        self.size = size
    }

    /// The first 12 hex digits: enough to find the blob, short enough for a table.
    public var shortHash: String { String(sha256.prefix(12)) }
}

/// The outcome of one check in one region.
/// How pages and packets label a check outcome (the outcome itself is SOPCore's ``CheckOutcome``).
extension CheckOutcome {
    public var label: String {
        switch self {
        case .pass: return "Pass"
        case .fail: return "Fail"
        case .error: return "Not verified"
        case .notApplicable: return "Not applicable"
        }
    }
}

public struct VerificationResult: Sendable, Equatable {
    public var check: String
    public var title: String?
    public var region: String
    public var outcome: CheckOutcome
    /// Resources that made the check fail (ARNs, names).
    public var offending: [String]
    public var message: String?
    public var items: [String]
    public var at: Date

    public init(
        check: String, title: String? = nil, region: String, outcome: CheckOutcome, offending: [String] = [],
        message: String? = nil, items: [String] = [], at: Date
    ) {
        self.check = check
        self.title = title
        self.region = region
        self.outcome = outcome
        self.offending = offending
        self.message = message
        self.items = items
        self.at = at
    }
}

public struct VerificationRunView: Sendable, Equatable {
    public var at: Date
    public var by: String?
    public var passed: Int
    public var failed: Int
    public var errors: Int

    public init(at: Date, by: String? = nil, passed: Int, failed: Int, errors: Int) {
        self.at = at
        self.by = by
        self.passed = passed
        self.failed = failed
        self.errors = errors
    }
}

/// A sign-off the template asks for, and what happened to it.
public struct SignoffEntry: Sendable, Equatable {
    /// An item id or a section number.
    public var scope: String
    public var scopeTitle: String
    public var role: String
    public var by: String?
    public var at: Date?
    public var state: SignoffState
    public var note: String?

    public init(
        scope: String, scopeTitle: String, role: String, by: String? = nil, at: Date? = nil,
        state: SignoffState, note: String? = nil
    ) {
        self.scope = scope
        self.scopeTitle = scopeTitle
        self.role = role
        self.by = by
        self.at = at
        self.state = state
        self.note = note
    }
}

/// One audit event, as the activity pages show it.
public struct ActivityEntry: Sendable, Equatable {
    public var at: Date
    public var customer: String
    public var actor: String
    public var action: String
    public var detail: String

    public init(at: Date, customer: String, actor: String, action: String, detail: String) {
        self.at = at
        self.customer = customer
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}

/// One customer's line on the portfolio dashboard.
public struct PortfolioRowView: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var template: String
    public var progress: Progress
    public var overdue: Int
    public var failing: Int
    public var lastActivity: Date?

    public init(
        slug: String, name: String, template: String, progress: Progress, overdue: Int = 0, failing: Int = 0,
        lastActivity: Date? = nil
    ) {
        self.slug = slug
        self.name = name
        self.template = template
        self.progress = progress
        self.overdue = overdue
        self.failing = failing
        self.lastActivity = lastActivity
    }
}

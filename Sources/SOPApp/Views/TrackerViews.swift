import SOPStore

// The tracker's read models, as the use cases return them. Front ends name them through the
// application layer and never import the store: the CLI formats these, `sop serve` will render
// them, and the store stays free to change how it reads them.

/// The facts `sop new` records about a customer.
public typealias NewCustomer = SOPStore.NewCustomer
/// A customer and the template version it is pinned to.
public typealias CustomerInfo = SOPStore.CustomerInfo
/// One customer's progress: sections, items, evidence, sign-offs, verification history.
public typealias CustomerReport = SOPStore.CustomerReport
/// One row of the portfolio (`sop status` without a slug).
public typealias PortfolioRow = SOPStore.PortfolioRow
/// One piece of evidence as listed.
public typealias EvidenceInfo = SOPStore.EvidenceInfo
/// A sign-off and its state.
public typealias SignoffInfo = SOPStore.SignoffInfo
/// One event of the audit trail.
public typealias AuditEvent = SOPStore.AuditEvent
/// What `sop audit verify` found.
public typealias AuditReport = SOPStore.AuditReport
/// What an upgrade does (or, in a dry run, would do).
public typealias UpgradePlan = SOPStore.UpgradePlan
/// Byte counts as people read them (`25 MB`).
public typealias ByteCount = SOPStore.ByteCount
/// An account that signs in to `sop serve`.
public typealias UserAccount = SOPStore.UserAccount
/// A bearer token for scripts (its id; the secret is never stored).
public typealias AccessToken = SOPStore.AccessToken
/// A one-time invitation to the customer portal.
public typealias Invitation = SOPStore.Invitation

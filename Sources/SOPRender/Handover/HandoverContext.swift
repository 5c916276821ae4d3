import Foundation

/// What a handover packet is rendered from: the report as the audience may see it, the
/// date on the cover, who prepared it, and where each file of evidence was exported.
public struct HandoverContext: Sendable {
    public var report: CustomerReportView
    public var audience: Audience
    public var date: Date
    public var preparedBy: String
    /// Evidence id → path relative to the packet (`evidence/order-form.pdf`).
    public var evidencePaths: [String: String]

    public init(
        report: CustomerReportView, audience: Audience, date: Date, preparedBy: String,
        evidencePaths: [String: String] = [:]
    ) {
        self.report = report.visible(to: audience)
        self.audience = audience
        self.date = date
        self.preparedBy = preparedBy
        self.evidencePaths = evidencePaths
    }

    /// The fixed text on how IAM users get their sign-in details; the template's own
    /// steps (``CustomerReportView/credentialProcess``) follow it.
    static let credentialsPreamble = """
        IAM users never receive credentials through this packet, e-mail or chat. Each user \
        receives their user name and a one-time sign-in link through the secure channel agreed \
        with the customer, sets their own password at first sign-in, and must enable MFA before \
        any other access is granted. Passwords and access keys are never recorded by the \
        consultancy's tracker.
        """
}

import Foundation
import SOPCore
import SOPRender

/// Fixed inputs for the renderers: a fixed clock, fixed ordering, fixed hashes.
enum Fixtures {
    static func date(_ text: String) -> Date {
        RenderDate.parse(text) ?? Date(timeIntervalSince1970: 0)
    }

    static let now = date("2026-05-04T09:00:00Z")

    static let orderForm = Data("%PDF-1.4 signed order form, Acme Corp, 2026-04-01\n".utf8)
    static let policyPDF = Data("%PDF-1.4 password policy export\n".utf8)

    static func sha256(_ data: Data) -> String { ContentHash.sha256Hex(data) }

    static var blobs: InMemoryEvidence {
        InMemoryEvidence([sha256(orderForm): orderForm, sha256(policyPDF): policyPDF])
    }

    /// A customer part-way through the SOP: done, in-progress, blocked, n/a and forced items,
    /// internal evidence, a failing check, a stale and a missing sign-off.
    static func report(
        name: String = "Acme Corp", note: String = "Root mail is aws-root@acme.example (group list).",
        reason: String = "Customer enters the card in the AWS console.",
        fileName: String = "order form (signed).pdf", by: String = "dana",
        link: String = "https://wiki.acme.example/aws", resource: String = "arn:aws:iam::123456789012:user/bob"
    )
        -> CustomerReportView
    {
        let sections = [
            ReportSection(number: "1", title: "Preparation", level: 2),
            ReportSection(
                number: "1.1", title: "Gather Necessary Information", level: 3,
                items: [
                    ReportItem(
                        id: "prep.root-email", section: "1.1",
                        title: "**Customer's Official Email:** Obtain an email address.",
                        status: .done,
                        evidence: [
                            EvidenceRef(
                                id: "E1", kind: .note, sha256: sha256(Data(note.utf8)),
                                addedAt: date("2026-04-01T10:00:00Z"),
                                by: by, text: note),
                            EvidenceRef(
                                id: "E2", kind: .note, sha256: String(repeating: "ab", count: 32),
                                addedAt: date("2026-04-01T10:05:00Z"),
                                by: by, isInternal: true, text: "Internal: customer was slow to answer"),
                        ]),
                    ReportItem(
                        id: "prep.company-details", section: "1.1",
                        title: "**Company Details:** Collect company name and address.",
                        status: .done, reason: "Signed order form covers it", forced: true,
                        evidence: [
                            EvidenceRef(
                                id: "E3", kind: .file, sha256: sha256(orderForm), addedAt: date("2026-04-02T08:30:00Z"),
                                by: by, fileName: fileName, mediaType: "application/pdf", size: orderForm.count),
                            EvidenceRef(
                                id: "E4", kind: .link, sha256: sha256(Data(link.utf8)),
                                addedAt: date("2026-04-02T08:31:00Z"),
                                by: by, text: link),
                        ]),
                    ReportItem(
                        id: "prep.billing-info", section: "1.1", title: "**Billing Information:** Payment details.",
                        status: .notApplicable, reason: reason),
                ]),
            ReportSection(
                number: "5", title: "Configure Identity and Access Management (IAM)", level: 2,
                items: [
                    ReportItem(
                        id: "iam.password-policy", section: "5",
                        title: "**Password Policy:** Enforce a strong password policy.",
                        status: .failed, assignee: "sam", due: date("2026-04-30"),
                        evidence: [
                            EvidenceRef(
                                id: "E5", kind: .file, sha256: sha256(policyPDF), addedAt: date("2026-04-20T14:00:00Z"),
                                by: "sam", fileName: fileName, mediaType: "application/pdf", size: policyPDF.count)
                        ]),
                    ReportItem(
                        id: "iam.groups", section: "5", title: "**IAM Groups:** Create groups `Admins`, `Developers`.",
                        status: .inProgress, assignee: "sam", due: date("2026-05-15")),
                    ReportItem(
                        id: "iam.mfa", section: "5", title: "**MFA:** Require MFA for console users.",
                        status: .blocked, reason: "Waiting for the customer's list of users"),
                ]),
            ReportSection(
                number: "15.2", title: "Handover to Customer", level: 3,
                items: [
                    ReportItem(
                        id: "handover.credentials", section: "15.2",
                        title: "**Deliver Credentials:** Provide IAM user details.",
                        status: .todo, due: date("2026-05-20"))
                ]),
        ]
        let verification = [
            VerificationResult(
                check: "iam_password_policy_strong", title: "Password policy is strong", region: "global",
                outcome: .fail, offending: [resource], message: "reuse prevention is 12, not 24",
                items: ["iam.password-policy"], at: date("2026-05-01T12:00:00Z")),
            VerificationResult(
                check: "iam_root_mfa_enabled", region: "global", outcome: .pass, message: "root has MFA",
                at: date("2026-05-01T12:00:00Z")),
            VerificationResult(
                check: "ce_cost_allocation_tags_active", region: "us-east-1", outcome: .error,
                message: "AccessDenied on ce:ListCostAllocationTags", at: date("2026-05-01T12:00:00Z")),
        ]
        var report = CustomerReportView(
            customer: CustomerView(
                slug: "acme", name: name, accountID: "123456789012", email: "aws-root@acme.example",
                owner: by, due: date("2026-06-30"), compliance: ["hipaa"], regions: ["us-east-1", "eu-west-1"]),
            template: TemplateInfo(id: "aws-account", version: "1.0.0", sha256: String(repeating: "0f", count: 32)),
            sections: sections,
            verification: verification,
            verificationHistory: [
                VerificationRunView(at: date("2026-05-01T12:00:00Z"), by: "sam", passed: 21, failed: 1, errors: 1),
                VerificationRunView(at: date("2026-04-28T09:00:00Z"), by: "dana", passed: 18, failed: 4, errors: 1),
            ],
            signoffs: [
                SignoffEntry(
                    scope: "5", scopeTitle: "Configure Identity and Access Management (IAM)", role: "Security Lead",
                    by: "priya", at: date("2026-04-21T16:00:00Z"), state: .stale),
                SignoffEntry(
                    scope: "prep.company-details", scopeTitle: "Company Details", role: "Customer Stakeholder",
                    by: by, at: date("2026-04-03T09:00:00Z"), state: .valid, note: reason),
                SignoffEntry(scope: "15", scopeTitle: "Finalize Setup", role: "Customer Stakeholder", state: .missing),
            ],
            credentialProcess: [
                "Hand over sign-in details through the agreed secure channel; never record passwords in sop."
            ],
            activity: [
                ActivityEntry(
                    at: date("2026-05-01T12:00:00Z"), customer: "acme", actor: "sam", action: "verify.record",
                    detail: "V2"),
                ActivityEntry(
                    at: date("2026-04-21T16:00:00Z"), customer: "acme", actor: "priya", action: "signoff.add",
                    detail: "5"),
            ])
        // An approved waiver (an exception the packet lists), a rejected one (only the site
        // lists it), and an item whose evidence has aged.
        report.waivers = [
            WaiverView(
                id: "W-1", scope: "ec2_securitygroup_admin_ports_restricted@us-east-1", state: "approved",
                reason: reason, expires: "2026-06-30", requestedBy: by, decidedBy: "priya",
                decidedRole: "Security Lead",
                resources: [resource]),
            WaiverView(
                id: "W-2", scope: "root.mfa", state: "rejected", reason: "later", expires: "2026-05-31",
                requestedBy: "sam", decidedBy: "priya", decidedRole: "Security Lead"),
        ]
        if let index = report.sections.firstIndex(where: { !$0.items.isEmpty }) {
            report.sections[index].items[0].needsRenewal = true
        }
        return report
    }

    static func portfolio(_ reports: [CustomerReportView]) -> [PortfolioRowView] {
        reports.map { r in
            PortfolioRowView(
                slug: r.customer.slug, name: r.customer.name, template: r.template.reference, progress: r.progress,
                overdue: r.items.filter { $0.isOverdue(at: now) }.count,
                failing: r.verification.filter { $0.outcome == .fail }.count, lastActivity: r.lastChange)
        }
    }

    /// A small template with metadata comments, a task list and a `${parameter}`.
    static let templateText = """
        ---
        id: mini
        version: 1.0.0
        title: Mini SOP
        roles: [Project Manager, Security Lead]
        parameters:
          groups:
            default: [Admins, Developers]
            description: IAM groups that must exist.
        ---

        # Mini SOP

        ## 1. Preparation

        ### 1.1. Gather

        - [ ] **Official Email:** Obtain an email address.
          <!-- sop
          id: prep.email
          evidence: [note]
          -->
          - Use a group address, not a personal mailbox.
        - [ ] **Groups:** Create ${groups}.
          <!-- sop
          id: prep.groups
          evidence: [file]
          -->

        """

    static func template() throws -> Template {
        try TemplateParser().parse(data: Data(templateText.utf8), path: "Templates/mini/1.0.0.md")
    }

    static func siteInput(_ reports: [CustomerReportView]) throws -> SiteInput {
        SiteInput(
            portfolio: portfolio(reports), reports: reports, templates: [try template()],
            activity: reports.flatMap(\.activity).sorted { $0.at > $1.at }, now: now)
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import SOPApp
import SOPRender

/// The customer portal: the stakeholder's own customer, in the customer audience, and only
/// their role's uploads and sign-offs. The customer comes from the session, never from the
/// URL, so no address reaches another customer's data.
extension WebApp {
    func addPortalRoutes(to router: Router<WebContext>) {
        router.get("/portal") { request, context in
            let (slug, role) = try Self.stakeholder(context)
            let app = self.app
            return try await page(request, context, title: "Your onboarding") {
                let report = try app.customerView(slug: slug, audience: .customer, activityLimit: 0)
                return CustomerPage(report: report, mode: .portal(role: role), now: try app.context.now()).html()
            }
        }
        router.get("/portal/evidence/:id") { _, context in
            let (slug, _) = try Self.stakeholder(context)
            return try await download(slug: slug, evidence: try context.parameters.require("id"), audience: .customer)
        }
        router.get("/portal/packet.zip") { _, context in
            let (slug, _) = try Self.stakeholder(context)
            return try await packet(slug: slug, audience: .customer, by: context.principal?.actor ?? "")
        }
        router.post("/portal/evidence") { request, context in
            let (slug, role) = try Self.stakeholder(context)
            let fields = try await FormFields.read(request, limit: options.maxBodyBytes)
            let app = self.app
            return try await act(request, context, fields: fields, back: "/portal") { actor in
                let item = fields.text("item") ?? ""
                let report = try app.customerView(slug: slug, audience: .customer, activityLimit: 0)
                guard let owned = report.items.first(where: { $0.id == item }),
                    owned.ownerRole?.caseInsensitiveCompare(role) == .orderedSame
                else { throw AppError.badInput("refused: item '\(item)' is not owned by \(role)") }
                let info = try app.addEvidence(
                    slug: slug, item: item, input: try Self.evidenceInput(fields), by: actor, expires: nil,
                    internal: false)
                return "\(info.id) handed over for \(item)"
            }
        }
        router.post("/portal/signoff") { request, context in
            let (slug, role) = try Self.stakeholder(context)
            let fields = try await FormFields.read(request, limit: Limits.form)
            let app = self.app
            return try await act(request, context, fields: fields, back: "/portal") { actor in
                let info = try app.signoff(
                    slug: slug, target: fields.text("target") ?? "", role: role, by: actor, note: fields.text("note"))
                return "\(info.target) signed off as \(info.role)"
            }
        }
        router.post("/portal/refuse") { request, context in
            let (slug, role) = try Self.stakeholder(context)
            let fields = try await FormFields.read(request, limit: Limits.form)
            let app = self.app
            return try await act(request, context, fields: fields, back: "/portal") { actor in
                let target = fields.text("target") ?? ""
                let reason = fields["reason"] ?? ""
                // A given sign-off is revoked; one not given yet is refused on the record.
                let report = try app.customerView(slug: slug, audience: .customer, activityLimit: 0)
                let given = report.signoffs.contains {
                    $0.scope == target && $0.role.caseInsensitiveCompare(role) == .orderedSame
                        && ($0.state == .valid || $0.state == .stale)
                }
                if given {
                    try app.revokeSignoff(slug: slug, target: target, role: role, reason: reason, by: actor)
                } else {
                    try app.refuseSignoff(slug: slug, target: target, role: role, reason: reason, by: actor)
                }
                return "\(target): sign-off refused"
            }
        }
    }

    static func stakeholder(_ context: WebContext) throws -> (slug: String, role: String) {
        guard case .stakeholder(let slug, let role, _, _)? = context.principal else {
            throw HTTPError(.notFound, message: "no such page")
        }
        return (slug, role)
    }
}

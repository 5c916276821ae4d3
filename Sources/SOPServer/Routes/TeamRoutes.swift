import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SOPApp
import SOPCore
import SOPRender

/// The team's routes: portfolio, customer, activity, templates, downloads and the actions,
/// each action the CLI's use case with the signed-in member as its actor.
extension WebApp {
    func addTeamRoutes(to router: Router<WebContext>) {
        router.get("/") { request, context in
            let query = PortfolioPage.Query(
                owner: request.uri.queryParameters.get("owner"), status: request.uri.queryParameters.get("status"),
                sort: request.uri.queryParameters.get("sort"), direction: request.uri.queryParameters.get("dir"))
            let (app, counts) = (self.app, staleCounts)
            return try await page(request, context, title: "Portfolio") {
                PortfolioPage(rows: try app.dashboard(staleCounts: counts), query: query).html()
            }
        }
        router.get("/activity") { request, context in
            let app = self.app
            return try await page(request, context, title: "Activity") { ActivityPage.html(try app.activityView()) }
        }
        router.get("/templates") { request, context in
            let app = self.app
            return try await page(request, context, title: "Templates") {
                TemplatesPage.html(app.listTemplates().listings)
            }
        }
        router.get("/customers/:slug") { request, context in
            let slug = try context.parameters.require("slug")
            let app = self.app
            let mode = CustomerPage.Mode.team(
                canAct: context.principal?.canAct ?? false, roles: Self.roles(context.principal))
            return try await page(request, context, title: slug) {
                let report = try app.customerView(slug: slug, audience: .internal)
                return CustomerPage(report: report, mode: mode, now: try app.context.now()).html()
            }
        }
        router.get("/customers/:slug/evidence/:id") { _, context in
            let slug = try context.parameters.require("slug")
            let id = try context.parameters.require("id")
            return try await download(slug: slug, evidence: id, audience: .internal)
        }
        router.get("/customers/:slug/packet.zip") { request, context in
            let slug = try context.parameters.require("slug")
            let audience: Audience = request.uri.queryParameters.get("audience") == "internal" ? .internal : .customer
            return try await packet(slug: slug, audience: audience, by: context.principal?.actor ?? "")
        }
        router.post("/customers/:slug/mark") { request, context in
            let slug = try context.parameters.require("slug")
            let fields = try await memberForm(request, context)
            return try await act(request, context, fields: fields, back: Self.back(slug)) { actor in
                let item = fields.text("item") ?? ""
                let state = fields.text("state") ?? ""
                _ = try app.mark(
                    slug: slug, item: item, state: state, reason: fields.text("reason"), force: fields["force"] == "1",
                    by: actor)
                return "\(item) marked \(state)"
            }
        }
        router.post("/customers/:slug/assign") { request, context in
            let slug = try context.parameters.require("slug")
            let fields = try await memberForm(request, context)
            return try await act(request, context, fields: fields, back: Self.back(slug)) { actor in
                let item = fields.text("item") ?? ""
                try app.assign(slug: slug, item: item, to: fields["to"] ?? "", due: fields.text("due"), by: actor)
                return "\(item) assigned to \(fields.text("to") ?? "")"
            }
        }
        router.post("/customers/:slug/evidence") { request, context in
            let slug = try context.parameters.require("slug")
            let fields = try await memberForm(request, context, limit: options.maxBodyBytes)
            return try await act(request, context, fields: fields, back: Self.back(slug)) { actor in
                let input = try Self.evidenceInput(fields)
                let info = try app.addEvidence(
                    slug: slug, item: fields.text("item") ?? "", input: input, by: actor,
                    expires: fields.text("expires"),
                    internal: fields["internal"] == "1")
                return "\(info.id) added to \(info.item)"
            }
        }
        router.post("/customers/:slug/signoff") { request, context in
            let slug = try context.parameters.require("slug")
            let fields = try await memberForm(request, context)
            let principal = context.principal
            return try await act(request, context, fields: fields, back: Self.back(slug)) { actor in
                let role = fields.text("role") ?? ""
                try Self.requireRole(role, principal)
                let info = try app.signoff(
                    slug: slug, target: fields.text("target") ?? "", role: role, by: actor, note: fields.text("note"))
                return "\(info.target) signed off as \(info.role)"
            }
        }
        router.post("/customers/:slug/revoke") { request, context in
            let slug = try context.parameters.require("slug")
            let fields = try await memberForm(request, context)
            let principal = context.principal
            return try await act(request, context, fields: fields, back: Self.back(slug)) { actor in
                let role = fields.text("role") ?? ""
                try Self.requireRole(role, principal)
                let target = fields.text("target") ?? ""
                try app.revokeSignoff(slug: slug, target: target, role: role, reason: fields["reason"] ?? "", by: actor)
                return "\(target): sign-off by \(role) revoked"
            }
        }
    }

    /// The form of a member's action; a viewer is refused before anything is read.
    func memberForm(_ request: Request, _ context: WebContext, limit: Int = Limits.form) async throws -> FormFields {
        guard context.principal?.canAct == true else {
            throw HTTPError(.forbidden, message: "refused: a viewer reads, and changes nothing")
        }
        return try await FormFields.read(request, limit: limit)
    }

    static func back(_ slug: String) -> String { "/customers/" + FormFields.percentEncode(slug) }

    static func roles(_ principal: Principal?) -> [String] {
        if case .member(_, let roles)? = principal { return roles }
        return []
    }

    /// Sign-offs need the role: a Security Lead signs Security Lead sign-offs.
    static func requireRole(_ role: String, _ principal: Principal?) throws {
        guard principal?.holds(role) == true else {
            throw AppError.badInput("refused: you do not hold the role '\(role)'")
        }
    }

    /// Exactly one of a note, a link or a file.
    static func evidenceInput(_ fields: FormFields) throws -> EvidenceInput {
        let given = [fields.text("note") != nil, fields.text("link") != nil, fields.file != nil].filter { $0 }.count
        guard given == 1 else { throw AppError.badInput("give exactly one of Note, Link or File") }
        if let file = fields.file { return .upload(name: file.name, data: file.data) }
        if let link = fields.text("link") { return .link(link) }
        return .note(fields["note"] ?? "")
    }

    /// Evidence bytes as a download: re-hashed by the store before they are sent, never
    /// rendered by the browser (`attachment`, the stored type only for display, nosniff).
    func download(slug: String, evidence: String, audience: Audience) async throws -> Response {
        let app = self.app
        let (info, data) = try await run {
            try app.evidenceDownload(slug: slug, evidence: evidence, audience: audience)
        }
        guard info.kind == "file" else { throw HTTPError(.notFound, message: "\(evidence) is not a file") }
        let name = info.fileName ?? info.id
        let ascii = String(
            name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" }
        )
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)",
                .cacheControl: "no-store", HTTPField.Name("X-Evidence-SHA256")!: info.sha256,
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The handover packet for an audience as one ZIP file.
    func packet(slug: String, audience: Audience, by actor: String) async throws -> Response {
        let app = self.app
        let data = try await run { try app.handoverArchive(slug: slug, audience: audience, preparedBy: actor) }
        let file = "\(slug)-handover\(audience == .internal ? "-internal" : "").zip"
        let safe = String(
            file.unicodeScalars.map { $0.isASCII && $0.value >= 0x21 && $0 != "\"" ? Character($0) : "_" })
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(safe)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

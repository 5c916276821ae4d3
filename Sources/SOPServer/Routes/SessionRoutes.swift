import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SOPApp

/// Signing in and out, by password or by invitation link.
extension WebApp {
    func addSessionRoutes(to router: Router<WebContext>) {
        router.get("/static/sop.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: ServerTheme.css)))
        }
        router.get("/signin") { request, _ in
            let next = Self.safeNext(request.uri.queryParameters.get("next"))
            return Response(
                status: .ok, headers: Self.html,
                body: .init(byteBuffer: ByteBuffer(string: SessionPages.signIn(next: next, message: nil))))
        }
        router.post("/signin") { request, context in
            let fields = try await FormFields.read(request, limit: Limits.form)
            let name = fields.text("name") ?? ""
            let password = fields["password"] ?? ""
            let next = Self.safeNext(fields["next"])
            let keys = ["address:" + (context.remoteAddress ?? "?"), "name:" + name.lowercased()]
            if let wait = limiter.wait(keys) {
                return Self.signInPage(
                    status: .tooManyRequests, next: next,
                    message: "too many failed sign-ins; try again in \((wait + 59) / 60) minutes")
            }
            let app = self.app
            let user = try await run {
                name.isEmpty || password.count > 200 ? nil : try app.authenticate(name: name, password: password)
            }
            guard let user else {
                limiter.failed(keys)
                return Self.signInPage(status: .unauthorized, next: next, message: "unknown name or wrong password")
            }
            limiter.succeeded(keys)
            let id = sessions.create(.member(name: user.name, roles: user.roles))
            var response = Response.redirect(to: next, type: .found)
            response.setCookie(cookie(id))
            return response
        }
        router.get("/invite/:secret") { _, context in
            let secret = try context.parameters.require("secret")
            guard Self.looksLikeSecret(secret) else {
                throw HTTPError(.notFound, message: "this invitation link is not valid")
            }
            return Response(
                status: .ok, headers: Self.html,
                body: .init(byteBuffer: ByteBuffer(string: SessionPages.invitation(secret: secret))))
        }
        router.post("/invite/:secret") { _, context in
            let secret = try context.parameters.require("secret")
            guard Self.looksLikeSecret(secret) else {
                throw HTTPError(.notFound, message: "this invitation link is not valid")
            }
            let app = self.app
            let invitation: Invitation
            do {
                invitation = try await blocking { try app.redeemInvitation(secret: secret) }
            } catch let error as AppError {
                throw HTTPError(.forbidden, message: error.description)
            }
            if let old = context.sessionID { sessions.remove(old) }
            let id = sessions.create(
                .stakeholder(
                    slug: invitation.customer, role: invitation.role, email: invitation.email, invitation: invitation.id
                ))
            var response = Response.redirect(to: "/portal", type: .found)
            response.setCookie(cookie(id))
            return response
        }
        router.post("/signout") { request, context in
            let fields = try await FormFields.read(request, limit: Limits.form)
            try checkFormToken(fields, context)
            if let id = context.sessionID { sessions.remove(id) }
            var response = Response.redirect(to: "/signin", type: .found)
            response.setCookie(
                Cookie(
                    name: SignInMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: options.secureCookies,
                    httpOnly: true, sameSite: .lax))
            return response
        }
    }

    func cookie(_ id: String) -> Cookie {
        Cookie(
            name: SignInMiddleware.cookieName, value: id, maxAge: Int(sessions.lifetime), path: "/",
            secure: options.secureCookies, httpOnly: true, sameSite: .lax)
    }

    static func signInPage(status: HTTPResponse.Status, next: String, message: String) -> Response {
        Response(
            status: status, headers: html,
            body: .init(byteBuffer: ByteBuffer(string: SessionPages.signIn(next: next, message: message))))
    }

    /// A path on this server to go to after signing in; anything else (another site,
    /// `//host`, a scheme) becomes `/`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count < 2000,
            !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return "/" }
        return next
    }

    /// Invitation secrets are 43 base64url characters; anything else is not looked up.
    static func looksLikeSecret(_ text: String) -> Bool {
        text.count == 43 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import SOPApp

/// Finds who a request acts for, and refuses it when nobody: a bearer token (scripts), the
/// trusted proxy's header (single sign-on) or a session cookie (a browser that signed in).
///
/// Only the sign-in pages, the invitation pages and the stylesheet are open. A team member
/// reaches the team's routes, a stakeholder only `/portal…` (anything else answers 404, the
/// same as a page that does not exist). Behind a signing-in proxy every request must come
/// from a listed proxy address: a header from anywhere else is never believed.
struct SignInMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let app: SOPApplication
    let sessions: SessionStore
    let options: ServerOptions

    static let cookieName = "sop_session"

    static func isOpen(_ path: String) -> Bool {
        path == "/signin" || path.hasPrefix("/invite/") || path == "/static/sop.css"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let path = request.uri.path
        if let header = options.authProxyHeader {
            guard let address = context.remoteAddress, options.trustedProxies.contains(address) else {
                throw HTTPError(.forbidden, message: "refused: requests must come through the signing-in proxy")
            }
            if let name = request.headers[HTTPField.Name(header)!], !name.isEmpty {
                guard let user = try await blocking({ try app.account(named: name) }) else {
                    throw HTTPError(.forbidden, message: "refused: '\(name)' has no enabled sop account")
                }
                context.principal = .member(name: user.name, roles: user.roles)
            }
        }
        if context.principal == nil, let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "), authorization.count < 200 else {
                throw HTTPError(.unauthorized, message: "refused: the Authorization header is not a bearer token")
            }
            let secret = String(authorization.dropFirst("Bearer ".count))
            guard let user = try await blocking({ try app.authenticate(bearer: secret) }) else {
                throw HTTPError(.unauthorized, message: "refused: the token is unknown, expired or disabled")
            }
            context.principal = .member(name: user.name, roles: user.roles)
        }
        if context.principal == nil, let id = request.cookies[Self.cookieName]?.value,
            let session = sessions.session(id)
        {
            context.principal = session.principal
            context.sessionID = id
            context.formToken = session.formToken
            // A member disabled since signing in is signed out at the next request; the same
            // read gives the page its change counter.
            if case .member(let name, _) = session.principal {
                let (counter, enabled) = try await blocking { try app.changeCounter(member: name) }
                context.changeCounter = counter
                if !enabled {
                    sessions.removeAll(member: name)
                    context.principal = nil
                    context.sessionID = nil
                    context.formToken = nil
                }
            }
        }
        if Self.isOpen(path) { return try await next(request, context) }
        guard let principal = context.principal else {
            if request.method == .get || request.method == .head {
                let target = request.uri.description
                return Response.redirect(to: "/signin?next=" + FormFields.percentEncode(target), type: .normal)
            }
            throw HTTPError(.unauthorized, message: "sign in first")
        }
        let portal = path == "/portal" || path.hasPrefix("/portal/")
        switch principal {
        case .stakeholder:
            guard portal || path == "/signout" else { throw HTTPError(.notFound, message: "no such page") }
        case .member:
            guard !portal else { throw HTTPError(.notFound, message: "no such page") }
        }
        return try await next(request, context)
    }
}

import Foundation
import HTTPTypes
import Hummingbird

/// Headers every response carries, errors included: a Content-Security-Policy that allows no
/// script at all and nothing from elsewhere, no sniffing, no referrer (invitation links carry
/// their secret in the path), no framing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext

    static let policy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = ErrorPage.response(status: error.status, message: error.body ?? error.status.reasonPhrase)
        } catch {
            response = ErrorPage.response(status: .internalServerError, message: "the server could not answer this")
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "private, no-cache" }
        return response
    }
}

/// Refuses unsafe requests (anything but GET and HEAD) that a page of another site started.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site` (every current browser) and
/// `Origin`; a request either names another site is refused before any route runs. Requests
/// without either are not from a browser page (scripts with a bearer token); a session's forms
/// carry a per-session token besides, checked by the routes.
struct CrossSiteMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method != .get && request.method != .head else { return try await next(request, context) }
        // `Sec-Fetch-Site` is set by the browser and cannot be forged by a page; when present it
        // decides. (`Origin` is then not compared: under `Referrer-Policy: no-referrer` a browser
        // sends `Origin: null` even for the server's own forms.)
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            guard site == "same-origin" else {
                throw HTTPError(.forbidden, message: "refused: a cross-site request (Sec-Fetch-Site: \(site))")
            }
        } else if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard ["http://" + host, "https://" + host].contains(origin) else {
                throw HTTPError(.forbidden, message: "refused: a request from another origin (\(origin))")
            }
        }
        return try await next(request, context)
    }
}

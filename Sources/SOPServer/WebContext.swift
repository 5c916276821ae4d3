import Hummingbird
import NIOCore

/// What one request carries through the middleware to its route: the client's address, and
/// once the sign-in middleware ran, who it acts for and through which session.
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connected peer's IP address (the proxy's, behind one).
    let remoteAddress: String?
    var principal: Principal?
    /// The browser session, nil for a bearer token or the trusted proxy's header.
    var sessionID: String?
    /// The token this session's forms carry (nil when no session: nothing to forge).
    var formToken: String?
    /// The tracker's change counter as read for this request, when the sign-in middleware read
    /// it with the member's account (one round trip for both).
    var changeCounter: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are collected by the routes with their own limits (see ``Limits``).
    var maxUploadSize: Int { Limits.upload }
}

/// Request body limits: a form is small; an upload may be as large as the evidence cap allows
/// plus the form around it.
enum Limits {
    static let form = 64 * 1024
    static let upload = 26 * 1024 * 1024
}

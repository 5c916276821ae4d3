import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SOPApp

/// `sop serve`: the team's dashboard and the customer portal over one open tracker.
public enum WebServer {
    /// Serves until SIGINT or SIGTERM, then lets in-flight requests finish and closes the
    /// tracker. `onReady` gets the bound port (useful with port 0).
    public static func run(
        app: SOPApplication, options: ServerOptions, onReady: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        if let problem = options.problem() { throw ServerError(problem) }
        let (host, port) = try options.address()
        let store = try app.context.openStore()
        defer { store.close() }
        var context = app.context
        context.openTracker = store
        context.inputNaming = .formFields
        let app = SOPApplication(context)
        let staleCounts = StaleSignoffCounts()
        // The stale sign-offs counted before listening (a second or two at a thousand
        // customers), so the first portfolio load does not read every customer's report; later
        // loads recount only the customers that changed. A failure here is the first load's
        // to report.
        _ = try? await blocking { try app.dashboard(staleCounts: staleCounts) }
        let application = try makeApplication(
            app: app, options: options, host: host, port: port, staleCounts: staleCounts, onReady: onReady)
        try await application.runService()
    }

    /// The Hummingbird application: middleware (security headers, cross-site refusal,
    /// sign-in) and the routes.
    static func makeApplication(
        app: SOPApplication, options: ServerOptions, host: String, port: Int,
        staleCounts: StaleSignoffCounts = StaleSignoffCounts(), onReady: @escaping @Sendable (Int) -> Void
    ) throws -> some ApplicationProtocol {
        let web = WebApp(
            app: app, sessions: SessionStore(lifetime: options.sessionLifetime), staleCounts: staleCounts,
            options: options)
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: CrossSiteMiddleware())
        router.add(middleware: SignInMiddleware(app: app, sessions: web.sessions, options: options))
        web.addSessionRoutes(to: router)
        web.addTeamRoutes(to: router)
        web.addPortalRoutes(to: router)
        var logger = Logger(label: "sop.serve")
        logger.logLevel = .warning
        let server: HTTPServerBuilder
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

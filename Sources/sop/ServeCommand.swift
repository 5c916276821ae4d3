import ArgumentParser
import Foundation
import SOPApp
import SOPServer

/// `sop serve`: the team's live dashboard and the customer portal.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard and the customer portal over the tracker.",
        discussion: """
            Loopback by default. Any other address needs TLS (--tls-cert/--tls-key) or a signing-in proxy \
            (--auth-proxy-header with --trusted-proxy). Accounts come from `sop user add`, customer links \
            from `sop invite`. SIGINT or SIGTERM stop it cleanly.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "HOST:PORT to listen on.") var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("TLS certificate chain (PEM).", valueName: "file")) var tlsCert: String?
    @Option(help: ArgumentHelp("TLS private key (PEM).", valueName: "file")) var tlsKey: String?
    @Option(help: ArgumentHelp("Take the signed-in user from this header (single sign-on).", valueName: "name"))
    var authProxyHeader: String?
    @Option(help: ArgumentHelp("An address the proxy's header is believed from.", valueName: "ip"))
    var trustedProxy: [String] = []

    func run() async throws {
        var options = ServerOptions()
        options.listen = listen
        options.tlsCertificate = tlsCert
        options.tlsKey = tlsKey
        options.authProxyHeader = authProxyHeader
        options.trustedProxies = trustedProxy
        if let problem = options.problem() { throw CommandFailure(problem) }
        let scheme = tlsCert == nil ? "http" : "https"
        let host = (try? options.address().host) ?? "127.0.0.1"
        let shown = host.contains(":") ? "[\(host)]" : host
        do {
            try await WebServer.run(app: global.app, options: options) { port in
                FileHandle.standardError.write(Data("sop serve: listening on \(scheme)://\(shown):\(port)/\n".utf8))
            }
        } catch let error as ServerError {
            throw CommandFailure(error.description)
        } catch let error as AppError {
            throw CommandFailure(error.description)
        }
    }
}

extension ServeCommand: Exemplified {
    static let examples = [
        "sop serve",
        "sop serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem",
        "sop serve --auth-proxy-header X-Forwarded-User --trusted-proxy 127.0.0.1",
    ]
}

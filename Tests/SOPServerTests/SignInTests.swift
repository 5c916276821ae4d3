import Foundation
import HTTPTypes
import HummingbirdTesting
import SOPApp
import Testing

@testable import SOPServer

/// Nothing but the sign-in pages answers without a signed-in user; sessions, tokens and the
/// proxy header each identify one, failing closed.
@Suite(.serialized) struct SignInTests {
    static let protectedGets = [
        "/", "/activity", "/templates", "/customers/acme", "/customers/acme/evidence/E1",
        "/customers/acme/packet.zip", "/portal", "/portal/evidence/E1", "/portal/packet.zip",
    ]
    static let protectedPosts = [
        "/customers/acme/mark", "/customers/acme/assign", "/customers/acme/evidence", "/customers/acme/signoff",
        "/customers/acme/revoke", "/portal/evidence", "/portal/signoff", "/portal/refuse", "/signout",
    ]

    @Test func noRouteAnswersWithoutSignIn() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            for path in Self.protectedGets {
                let response = try await client.get(path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location]?.hasPrefix("/signin?next=") == true, "\(path)")
                #expect(!response.text.contains("Acme"), "\(path)")
            }
            for path in Self.protectedPosts {
                let response = try await client.post(path, ["item": "root.mfa", "state": "done"], token: "x")
                #expect(response.status == .unauthorized, "\(path)")
            }
            let css = try await client.get("/static/sop.css")
            #expect(css.status == .ok)
        }
        let status = try fixture.app.customerStatus(slug: "acme")
        #expect(status.items.allSatisfy { $0.status != .done })
    }

    @Test func passwordsAreCheckedAndGuessingIsLimited() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let wrong = try await client.signIn("priya", "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("unknown name or wrong password"))
            #expect(client.cookie == nil)
            for _ in 0..<4 { try await client.signIn("priya", "still wrong") }
            // The sixth try is refused before the password is looked at, even the right one.
            let limited = try await client.signIn("priya")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.contains("too many failed sign-ins"))
        }
    }

    @Test func aSessionCookieIsHttpOnlySameSiteAndEndsAtSignOut() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let signIn = try await client.signIn("priya")
            #expect(signIn.status == .found)
            let cookie = try #require(signIn.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))  // plain HTTP on loopback
            let portfolio = try await client.get("/")
            #expect(portfolio.status == .ok)
            #expect(portfolio.text.contains("Acme Corp"))
            #expect(portfolio.text.contains("priya"))
            let signOut = try await client.post("/signout", [:])
            #expect(signOut.status == .found)
            let after = try await client.get("/")
            #expect(after.status == .seeOther)
        }
    }

    @Test func aDisabledAccountIsSignedOutAtItsNextRequest() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            try await client.signIn("priya")
            #expect(try await client.get("/").status == .ok)
            try fixture.app.disableUser(name: "priya", by: "alex")
            #expect(try await client.get("/").status == .seeOther)
            #expect(try await client.signIn("priya").status == .unauthorized)
        }
    }

    @Test func bearerTokensWorkUntilTheyExpireOrTheAccountIsDisabled() async throws {
        let fixture = try ServerFixture()
        let token = try fixture.app.createToken(user: "priya", expires: "1d", by: nil)
        #expect(token.secret.hasPrefix("sop_"))
        try await fixture.serve { client in
            let ok = try await client.get("/", headers: [.authorization: "Bearer \(token.secret)"])
            #expect(ok.status == .ok)
            let unknown = try await client.get("/", headers: [.authorization: "Bearer sop_nothing"])
            #expect(unknown.status == .unauthorized)
            let basic = try await client.get("/", headers: [.authorization: "Basic cHJpeWE6eA=="])
            #expect(basic.status == .unauthorized)
            // A script's action needs no form token (it has no cookie a page could ride on).
            let marked = try await client.post(
                "/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"], token: .some(nil),
                headers: [.authorization: "Bearer \(token.secret)"])
            #expect(marked.status == .ok)
            #expect(marked.text.contains("root.mfa marked in-progress"))
        }
        var later = fixture
        later.environment["SOP_NOW"] = "2026-03-04T09:00:00Z"
        try await later.serve { client in
            let expired = try await client.get("/", headers: [.authorization: "Bearer \(token.secret)"])
            #expect(expired.status == .unauthorized)
        }
        #expect(try fixture.app.log(slug: "acme", limit: 1).first?.actor == "priya")
    }

    @Test func theProxyHeaderIsBelievedOnlyFromTheTrustedProxy() async throws {
        let fixture = try ServerFixture()
        var options = ServerOptions()
        options.authProxyHeader = "X-Forwarded-User"
        options.trustedProxies = ["127.0.0.1"]
        try await fixture.serve(options) { client in
            let ok = try await client.get("/", headers: [HTTPField.Name("X-Forwarded-User")!: "priya"])
            #expect(ok.status == .ok)
            #expect(ok.text.contains("priya"))
            let unknown = try await client.get("/", headers: [HTTPField.Name("X-Forwarded-User")!: "mallory"])
            #expect(unknown.status == .forbidden)
        }
        options.trustedProxies = ["10.9.9.9"]
        try await fixture.serve(options) { client in
            let refused = try await client.get("/", headers: [HTTPField.Name("X-Forwarded-User")!: "priya"])
            #expect(refused.status == .forbidden)
            #expect(!refused.text.contains("Acme"))
        }
    }

    @Test func listeningBeyondLoopbackNeedsTLSOrAProxy() throws {
        var options = ServerOptions()
        #expect(options.problem() == nil)
        options.listen = "0.0.0.0:8080"
        #expect(options.problem()?.contains("needs TLS") == true)
        options.authProxyHeader = "X-Forwarded-User"
        #expect(options.problem()?.contains("--trusted-proxy") == true)
        options.trustedProxies = ["127.0.0.1"]
        #expect(options.problem() == nil)
        options = ServerOptions()
        options.listen = "127.0.0.1:99999"
        #expect(options.problem()?.contains("not HOST:PORT") == true)
        options.listen = "[::1]:8080"
        #expect(options.problem() == nil)
        options.listen = "10.0.0.1:8443"
        options.tlsCertificate = "/nonexistent/cert.pem"
        options.tlsKey = "/nonexistent/key.pem"
        #expect(options.problem()?.contains("cannot read") == true)
    }

    @Test func nextAfterSignInStaysOnThisServer() {
        #expect(WebApp.safeNext("/customers/acme") == "/customers/acme")
        #expect(WebApp.safeNext("//evil.example/") == "/")
        #expect(WebApp.safeNext("https://evil.example/") == "/")
        #expect(WebApp.safeNext("/\\evil.example") == "/")
        #expect(WebApp.safeNext("/a\nb") == "/")
        #expect(WebApp.safeNext(nil) == "/")
    }
}

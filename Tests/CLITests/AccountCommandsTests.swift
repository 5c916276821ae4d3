import Foundation
import TestSupport
import Testing

/// `sop user`, `sop token` and `sop invite`: secrets only from the environment or a prompt,
/// shown once, never stored or echoed; bad input is one line and changes nothing.
@Suite struct AccountCommandsTests {
    @Test func aUsersPasswordComesFromTheEnvironmentAndIsNeverStoredOrShown() throws {
        let tracker = TrackerFixture()
        try tracker.createAcme()
        let password = "a-long-enough-password-42"
        let added = try tracker.sop(
            ["user", "add", "priya", "--role", "security lead", "--password-env", "PRIYA_PW"],
            environment: ["PRIYA_PW": password])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "user priya added (Security Lead)\n")
        #expect(!added.stdout.contains(password) && !added.stderr.contains(password))
        let list = try tracker.sop(["user", "list", "--json"])
        #expect(list.stdout.contains("\"password\" : true"))
        #expect(!list.stdout.contains("$2"))
        if TestEngine.isSQLite {
            #expect(!(try tracker.sqlite(".dump").stdout.contains(password)))
        }
        // No terminal, no variable: refused, nothing added.
        let noPrompt = try tracker.sop(["user", "add", "sam", "--role", "Viewer"])
        #expect(noPrompt.status == 2)
        #expect(noPrompt.stderr.contains("--password-env"))
        let unset = try tracker.sop(["user", "add", "sam", "--role", "Viewer", "--password-env", "NOT_SET_ANYWHERE"])
        #expect(unset.status == 2)
        let short = try tracker.sop(
            ["user", "add", "sam", "--role", "Viewer", "--password-env", "PW"], environment: ["PW": "short"])
        #expect(short.stderr.contains("too short"))
        let badRole = try tracker.sop(
            ["user", "add", "sam", "--role", "Wizard", "--password-env", "PW"], environment: ["PW": password])
        #expect(badRole.status == 2)
        #expect(badRole.stderr.contains("'Wizard' is not a role"))
        let duplicate = try tracker.sop(
            ["user", "add", "priya", "--role", "Viewer", "--password-env", "PW"], environment: ["PW": password])
        #expect(duplicate.stderr.contains("already exists"))
        #expect(try tracker.sop(["user", "disable", "priya"]).status == 0)
        #expect(try tracker.sop(["user", "disable", "priya"]).stderr.contains("already disabled"))
        #expect(try tracker.sop(["audit", "verify"]).status == 0)
    }

    @Test func tokensAndInvitationsAreShownOnceAndRefuseBadInput() throws {
        let tracker = TrackerFixture()
        try tracker.createAcme()
        try tracker.sop(
            ["user", "add", "ci-bot", "--role", "Project Manager", "--password-env", "PW"],
            environment: ["PW": "a-long-enough-password-42"])
        let token = try tracker.sop(["token", "create", "ci-bot", "--expires", "30d"])
        #expect(token.status == 0)
        let secret = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("sop_") && secret.count == 47)
        #expect(token.stderr.contains("valid until 2026-04-01T09:00:00Z"))
        for bad in ["30", "0d", "-3d", "400d", "1w", "--expires"] {
            let refused = try tracker.sop(["token", "create", "ci-bot", "--expires=\(bad)"])
            #expect(refused.status == 2, "\(bad)")
        }
        let invite = try tracker.sop([
            "invite", "acme", "--role", "Customer Stakeholder", "--email", "jo@acme.example", "--base-url",
            "https://sop.example.com",
        ])
        #expect(invite.status == 0, "\(invite.stderr)")
        #expect(invite.stdout.hasPrefix("https://sop.example.com/invite/"))
        if TestEngine.isSQLite {
            let dump = try tracker.sqlite(".dump").stdout
            #expect(!dump.contains(secret))
            #expect(
                !dump.contains(String(invite.stdout.split(separator: "/").last ?? "").trimmingCharacters(in: .newlines))
            )
        }
        #expect(try tracker.sop(["invite", "acme", "--role", "Wizard", "--email", "jo@acme.example"]).status == 2)
        #expect(try tracker.sop(["invite", "acme", "--role", "Customer Stakeholder", "--email", "nobody"]).status == 2)
        #expect(
            try tracker.sop(["invite", "nosuch", "--role", "Customer Stakeholder", "--email", "a@b.example"]).status
                == 2)
        let badBase = try tracker.sop([
            "invite", "acme", "--role", "Customer Stakeholder", "--email", "jo@acme.example", "--base-url",
            "javascript:x",
        ])
        #expect(badBase.status == 2)
        #expect(try tracker.sop(["audit", "verify"]).status == 0)
    }

    @Test func serveRefusesToListenBeyondLoopbackWithoutTLSOrAProxy() throws {
        let tracker = TrackerFixture()
        try tracker.createAcme()
        let refused = try tracker.sop(["serve", "--listen", "0.0.0.0:0"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("needs TLS"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let noProxy = try tracker.sop(["serve", "--listen", "0.0.0.0:0", "--auth-proxy-header", "X-Forwarded-User"])
        #expect(noProxy.stderr.contains("--trusted-proxy"))
    }
}

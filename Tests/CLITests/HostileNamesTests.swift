import Foundation
import TestSupport
import Testing

/// Identity, terminal and option injection (issue 11, classes 8 and 9).
@Suite struct HostileNamesTests {
    @Test func aSignOffByNobodyIsRefusedAndActorsAreScannedForSecrets() throws {
        let t = TrackerFixture()
        try t.createAcme()
        var r = try t.sop(["signoff", "acme", "5", "--role", "Security Lead", "--by", ""])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--by must name someone"), "\(r.stderr)")
        r = try t.sop(["signoff", "acme", "5", "--role", "Security Lead", "--by", "   "])
        #expect(r.status == 2)
        let key = "AKIA" + String(repeating: "Q7", count: 8)
        r = try t.sop(["mark", "acme", "prep.root-email", "in-progress", "--by", key])
        #expect(r.status == 2)
        #expect(r.stderr.contains("looks like an AWS access key id"), "\(r.stderr)")
        #expect(!r.stderr.contains(key) && !r.stdout.contains(key), "the key is never echoed")
        r = try t.sop(["handover", "acme", "--out", t.directory.path("packet").path, "--prepared-by", key])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--prepared-by contains what looks like"), "\(r.stderr)")
        #expect(!(try t.dump()).contains(key))
        #expect(!(try t.sop(["log", "acme"]).stdout.contains("signoff")), "nothing recorded")
    }

    @Test func controlCharactersInNamesNeverReachTheTerminalRaw() throws {
        let t = TrackerFixture()
        let name = "Acme\u{1B}]0;owned\u{07} Corp \u{202E}gnp.exe"
        let r0 = try t.sop(["new", "acme", "--name", name, "--email", "root@acme.example"])
        #expect(r0.status == 0, "\(r0.stderr)")
        for args in [
            ["customers"], ["status"], ["status", "acme"], ["new", "acme", "--name", name, "--email", "x@y.example"],
        ] {
            let r = try t.sop(args)
            let all = r.stdout + r.stderr
            #expect(!all.contains("\u{1B}") && !all.contains("\u{07}") && !all.contains("\u{202E}"), "sop \(args[0])")
        }
        let listed = try t.sop(["customers"]).stdout
        #expect(listed.contains("Acme\\u{1B}]0;owned\\u{7} Corp \\u{202E}gnp.exe"), "\(listed)")
        let json = try t.sop(["customers", "--json"])
        let customers = t.json(json)["customers"] as? [[String: Any]]
        #expect(customers?.first?["name"] as? String == name, "JSON keeps the exact value, escaped by its writer")
    }

    @Test func aGitWikiThatLooksLikeAnOptionIsAPathToGit() throws {
        let t = TrackerFixture()
        try t.createAcme()
        for remote in ["--version", "--upload-pack=touch /tmp/sop-injected"] {
            let r = try t.sop(["publish", "acme", "--git-wiki=\(remote)"])
            #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
            #expect(!r.stdout.contains("git version") && !r.stderr.contains("git version"))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sop-injected"))
    }
}

/// The argument parser's own refusals quote the argument; a secret there is never printed.
@Suite struct SecretArgumentTests {
    @Test func aNoteThatStartsWithDashesIsRefusedWithoutPrintingTheKey() throws {
        let t = TrackerFixture()
        try t.createAcme()
        let key = "-----BEGIN RSA PRIVATE KEY-----" + "MIIEowIBAAKCAQEA" + String(repeating: "x", count: 20)
        let r = try t.sop(["evidence", "add", "acme", "prep.root-email", "--note", key])
        #expect(r.status == 2)
        #expect(!r.stderr.contains("MIIEowIBAAKCAQEA") && !r.stdout.contains("MIIEowIBAAKCAQEA"), "\(r.stderr)")
        #expect(r.stderr.contains("looks like a private key"), "\(r.stderr)")
        let viaEquals = try t.sop(["evidence", "add", "acme", "prep.root-email", "--note=\(key)"])
        #expect(viaEquals.status == 2, "refused by the scanner")
        #expect(!viaEquals.stderr.contains("MIIEowIBAAKCAQEA"))
    }
}

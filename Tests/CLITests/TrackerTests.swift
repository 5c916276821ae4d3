import Foundation
import TestSupport
import Testing

/// End-to-end tests of the tracker commands on real temporary databases.
@Suite struct TrackerTests {
    @Test func customerLifecycle() throws {
        let t = TrackerFixture()
        let created = try t.createAcme()
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created acme (Acme Corp) on aws-account@1.0.0"))

        let customers = t.json(try t.sop(["customers", "--json"]))
        let list = customers["customers"] as? [[String: Any]] ?? []
        #expect(list.first?["slug"] as? String == "acme")

        // Evidence: a note, a file, a link.
        var r = try t.sop(["evidence", "add", "acme", "prep.root-email", "--note", "root is aws-root@acme.example"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("E1 added"))
        let file = try t.directory.write("order-form.pdf", "%PDF-1.4 signed order form")
        r = try t.sop(["evidence", "add", "acme", "prep.company-details", "--file", file.path, "--by", "sam"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try t.sop([
            "evidence", "add", "acme", "prep.company-details", "--note", "Acme Corp, 1 Main St", "--internal",
        ])
        #expect(r.status == 0, "\(r.stderr)")

        // done needs evidence; depends are named.
        r = try t.sop(["mark", "acme", "gov.access-control", "done"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("file") && r.stderr.contains("prep.company-details"))
        #expect(try t.sop(["mark", "acme", "prep.root-email", "done"]).status == 0)
        #expect(try t.sop(["mark", "acme", "prep.company-details", "done"]).status == 0)
        #expect(
            try t.sop(["mark", "acme", "prep.billing-info", "blocked", "--reason", "waiting for the customer"]).status
                == 0)
        #expect(
            try t.sop(["assign", "acme", "gov.tagging-strategy", "--to", "sam", "--due", "2026-03-01"]).status == 0)

        // Sign-off of section 1.2's item and stale detection.
        let policy = try t.directory.write("access.md", "# Access control\nAdmins: ops team\n")
        #expect(try t.sop(["evidence", "add", "acme", "gov.access-control", "--file", policy.path]).status == 0)
        r = try t.sop(["signoff", "acme", "gov.access-control", "--role", "Customer Stakeholder", "--by", "wile"])
        #expect(r.status == 2 && r.stderr.contains("cannot sign off item gov.access-control yet"))
        #expect(try t.sop(["mark", "acme", "gov.access-control", "in-progress"]).status == 0)
        r = try t.sop(["signoff", "acme", "gov.access-control", "--role", "Customer Stakeholder", "--by", "wile"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try t.sop(["signoff", "acme", "gov.access-control", "--role", "Security Lead", "--by", "priya"])
        #expect(r.status == 2 && r.stderr.contains("Customer Stakeholder"))

        var status = t.json(try t.sop(["status", "acme", "--json"]))
        let items = status["items"] as? [[String: Any]] ?? []
        let access = items.first { $0["id"] as? String == "gov.access-control" }
        #expect((access?["signoffs"] as? [[String: Any]])?.first?["state"] as? String == "valid")
        #expect(
            try t.sop(["evidence", "add", "acme", "gov.access-control", "--link", "https://wiki.example/acme/access"])
                .status == 0)
        status = t.json(try t.sop(["status", "acme", "--json"]))
        let access2 = (status["items"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "gov.access-control" }
        #expect((access2?["signoffs"] as? [[String: Any]])?.first?["state"] as? String == "stale")

        // JSON contract of one customer.
        let customer = status["customer"] as? [String: Any] ?? [:]
        #expect(customer["slug"] as? String == "acme" && customer["name"] as? String == "Acme Corp")
        let template = status["template"] as? [String: Any] ?? [:]
        #expect(template["id"] as? String == "aws-account" && template["version"] as? String == "1.0.0")
        #expect((template["sha256"] as? String)?.count == 64)
        let summary = status["summary"] as? [String: Any] ?? [:]
        for key in ["total", "done", "in_progress", "todo", "blocked", "not_applicable", "failed"] {
            #expect(summary[key] is Int, "summary.\(key)")
        }
        #expect(summary["done"] as? Int == 2 && summary["blocked"] as? Int == 1)
        let first = (status["items"] as? [[String: Any]] ?? []).first ?? [:]
        for key in ["id", "section", "title", "status", "evidence", "signoffs"] {
            #expect(first[key] != nil, "items[].\(key)")
        }
        let evidence = (first["evidence"] as? [[String: Any]])?.first ?? [:]
        for key in ["id", "kind", "sha256", "added_at", "by"] { #expect(evidence[key] != nil, "evidence[].\(key)") }
        // GDPR items are not applicable for a HIPAA-only customer, with the reason.
        let gdpr = (status["items"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "gdpr.dpa" }
        #expect(gdpr?["status"] as? String == "n/a")
        #expect((gdpr?["reason"] as? String)?.contains("compliance has gdpr") == true)

        // Portfolio contract.
        let portfolio = t.json(try t.sop(["status", "--json"]))
        let row = (portfolio["customers"] as? [[String: Any]])?.first ?? [:]
        for key in ["slug", "progress", "total", "done", "blocked", "overdue", "failing"] {
            #expect(row[key] != nil, "customers[].\(key)")
        }
        #expect(row["blocked"] as? Int == 1 && row["overdue"] as? Int == 1)
        #expect((row["template"] as? [String: Any])?["version"] as? String == "1.0.0")

        // Text outputs.
        let text = try t.sop(["status", "acme"])
        #expect(text.status == 0)
        #expect(
            text.stdout.contains("SECTIONS") && text.stdout.contains("BLOCKED")
                && text.stdout.contains("STALE SIGN-OFFS"))
        #expect(text.stdout.contains("NEXT ACTIONS") && !text.stdout.contains("\u{1B}["))
        let overview = try t.sop(["status"])
        #expect(overview.stdout.contains("acme") && overview.stdout.contains("aws-account@1.0.0"))

        // Evidence get writes the exact bytes.
        let out = t.directory.path("copy.pdf")
        r = try t.sop(["evidence", "get", "acme", "E2", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: out) == Data(contentsOf: file))
        #expect(try t.sop(["evidence", "retract", "acme", "E3", "--reason", "duplicate"]).status == 0)
        let listed = try t.sop(["evidence", "list", "acme"])
        #expect(listed.stdout.contains("retracted: duplicate"))

        let log = try t.sop(["log", "acme"])
        #expect(log.stdout.contains("customer.create") && log.stdout.contains("evidence.retract"))
        #expect(log.stdout.contains("status: todo → blocked"))
        let audit = try t.sop(["audit", "verify"])
        #expect(audit.status == 0)
        #expect(audit.stdout.hasPrefix("audit trail intact: "))
    }

    @Test func badInputExits2AndChangesNothing() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        let directory = t.directory.path("folder")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let before = try t.dump()
        let cases: [[String]] = [
            ["mark", "nobody", "prep.root-email", "done"],
            ["mark", "acme", "no.such-item", "done"],
            ["mark", "acme", "prep.root-email", "finished"],
            ["mark", "acme", "prep.root-email", "blocked"],
            ["assign", "acme", "prep.root-email", "--to", "sam", "--due", "2026-13-01"],
            ["assign", "acme", "prep.root-email", "--to", "sam", "--due", "next week"],
            ["evidence", "add", "acme", "prep.root-email", "--file", t.directory.path("missing.pdf").path],
            ["evidence", "add", "acme", "prep.root-email", "--file", directory.path],
            ["evidence", "add", "acme", "prep.root-email", "--note", "x", "--expires", "2026-02-30"],
            ["evidence", "add", "acme", "prep.root-email"],
            ["evidence", "get", "acme", "E99", "--out", t.directory.path("x").path],
            ["evidence", "retract", "acme", "E1", "--reason", "no such"],
            ["signoff", "acme", "5", "--role", "Janitor", "--by", "x"],
            ["signoff", "acme", "99", "--role", "Security Lead", "--by", "x"],
            ["signoff", "revoke", "acme", "5", "--role", "Security Lead", "--reason", "never given"],
            ["new", "acme", "--name", "Again", "--email", "a@b.example"],
            ["new", "beta", "--name", "Beta", "--email", "not-an-email"],
            ["new", "beta", "--name", "Beta", "--email", "a@b.example", "--template", "no-such-template"],
            ["new", "beta", "--name", "Beta", "--email", "a@b.example", "--due", "31/12/2026"],
            ["new", "beta", "--name", "Beta", "--email", "a@b.example", "--param", "nope=1"],
            ["status", "nobody"],
            ["log", "nobody"],
            ["restore", t.directory.path("missing.sqlite").path, "--force"],
        ]
        for args in cases {
            let r = try t.sop(args)
            #expect(r.status == 2, "\(args): exit \(r.status) \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(!lines.isEmpty, "\(args): no message")
            #expect(r.stderr.hasPrefix("sop: error: ") || r.stderr.contains("Error:"), "\(args): \(r.stderr)")
        }
        #expect(try t.dump() == before)
    }

    @Test func secretsAreRefusedWithoutEchoingThem() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        let before = try t.dump()
        let secrets: [(String, [String])] = [
            ("4111 1111 1111 1111", ["--note", "card 4111 1111 1111 1111 exp 12/27"]),
            ("hunter22", ["--note", "root password=hunter22"]),
            ("AKIAIOSFODNN7EXAMPLE", ["--note", "key AKIAIOSFODNN7EXAMPLE"]),
            ("wJalrXUtnFEMI", ["--note", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]),
            ("s3cret", ["--link", "https://admin:s3cret@wiki.example/page"]),
        ]
        for (value, args) in secrets {
            let r = try t.sop(["evidence", "add", "acme", "prep.billing-info"] + args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("refused") && !r.stderr.contains(value), "\(r.stderr)")
        }
        let pem = try t.directory.write(
            "key.pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n")
        var r = try t.sop(["evidence", "add", "acme", "prep.billing-info", "--file", pem.path])
        #expect(r.status == 2 && r.stderr.contains("private key"))
        r = try t.sop([
            "new", "beta", "--name", "Beta", "--email", "a@b.example", "--address", "card 5555 5555 5555 4444",
        ])
        #expect(r.status == 2 && r.stderr.contains("payment card") && !r.stderr.contains("5555"))
        #expect(try t.dump() == before)
    }

    @Test func evidenceSizeCap() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        let big = t.directory.path("big.bin")
        try Data(count: 2048).write(to: big)
        let r = try t.sop(
            ["evidence", "add", "acme", "prep.company-details", "--file", big.path],
            environment: ["SOP_MAX_EVIDENCE_BYTES": "1024"])
        #expect(r.status == 2 && r.stderr.contains("larger than the evidence limit of 1 KB"))
    }

    @Test func backupAndRestore() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        #expect(try t.sop(["evidence", "add", "acme", "prep.root-email", "--note", "root"]).status == 0)
        let backup = t.directory.path("backup.sqlite").path
        var r = try t.sop(["backup", backup])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try t.sop(["backup", backup]).status == 2)
        // A PostgreSQL tracker's backup is a portable SQLite file that verifies offline;
        // `sop restore` replaces files only (onto a server, `sop db copy`).
        #expect(try t.sop(["audit", "verify", "--db", backup]).status == 0)
        if TestEngine.isPostgreSQL { return }
        #expect(try t.sop(["evidence", "add", "acme", "prep.root-email", "--note", "after backup"]).status == 0)
        r = try t.sop(["restore", backup])
        #expect(r.status == 2 && r.stderr.contains("--force"))
        let notDB = try t.directory.write("notes.txt", "hello")
        #expect(try t.sop(["restore", notDB.path, "--force"]).status == 2)
        r = try t.sop(["restore", backup, "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        let list = t.json(try t.sop(["evidence", "list", "acme", "--json"]))
        #expect((list["evidence"] as? [Any])?.count == 1)
        #expect(try t.sop(["audit", "verify"]).status == 0)
    }
}

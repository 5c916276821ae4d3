import Foundation
import TestSupport
import Testing

/// A template that is not about AWS (the employee-offboarding fixture: `subject: employee`,
/// `provider: none`, `email: optional`, no checks) runs the whole flow, and nothing it produces
/// speaks of AWS: no account row, no verification or IAM credentials sections, no AWS cover or
/// wiki title, no request sent.
@Suite(.serialized) struct NonAWSTemplateTests {
    let dir = TemporaryDirectory("sop-offboarding")
    var env: [String: String] {
        [
            "SOP_DB": dir.path("sop.sqlite").path, "SOP_USER": "pat", "SOP_NOW": "2026-03-02T09:00:00Z",
            "SOP_TEMPLATES": Paths.fixtureTemplatesDirectory.path + ":" + Paths.templatesDirectory.path,
            // Anything that tried to reach AWS would go here and fail loudly.
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        ]
    }

    @discardableResult
    func sop(
        _ args: [String], expect status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try runSOP(args, environment: env)
        #expect(
            result.status == status, "sop \(args.joined(separator: " ")): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation)
        return result
    }

    /// Words that belong to the AWS template only.
    static let awsWords = ["AWS", "IAM", "aws-account", "root user", "erification", "ailing checks", "eu-west"]

    func expectNoAWSWords(_ text: String, in place: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = Self.awsWords.first { text.contains($0) }
        #expect(found == nil, "\(place) says '\(found ?? "")'", sourceLocation: sourceLocation)
    }

    @Test func theWholeFlowSpeaksOfEmployees() throws {
        // new: no --email needed, ${param} filled in a title, a condition decides an item.
        let created = try sop([
            "new", "jo", "--name", "Jo Bloggs", "--template", "employee-offboarding@1.0.0", "--owner", "pat",
            "--due", "2026-03-13",
        ])
        #expect(created.stdout == "created jo (Jo Bloggs) on employee-offboarding@1.0.0: 6 items, 1 not applicable\n")

        // evidence of every kind, sign-offs of an item and of a section.
        let receipt = try dir.write("equipment receipt.txt", "Laptop SN 123, badge 77 returned.\n")
        try sop(["evidence", "add", "jo", "prep.schedule", "--note", "Last day 2026-03-13; removals booked"])
        try sop(["mark", "jo", "prep.schedule", "done"])
        try sop(["evidence", "add", "jo", "prep.handover", "--note", "Open work handed to Sam"])
        try sop(["evidence", "add", "jo", "prep.handover", "--link", "https://wiki.example/handover/jo"])
        try sop(["mark", "jo", "prep.handover", "done"])
        try sop(["signoff", "jo", "prep.handover", "--role", "Line Manager", "--by", "lee"])
        try sop(["evidence", "add", "jo", "access.equipment", "--file", receipt.path])
        try sop(["mark", "jo", "access.equipment", "done"])
        try sop(["evidence", "add", "jo", "after.mailbox", "--note", "Mailbox kept until 2026-04-12"])
        try sop(["mark", "jo", "after.mailbox", "done"])
        try sop(["signoff", "jo", "3", "--role", "People Partner", "--by", "pat"])

        // verify and iam-policy say in one line that there is nothing to do, and send nothing.
        let verify = try sop(["verify", "jo"], expect: 2)
        #expect(
            verify.stderr
                == "sop: error: jo is on employee-offboarding@1.0.0, which has no automated checks: nothing to verify\n"
        )
        let policy = try sop(["iam-policy", "jo"], expect: 2)
        #expect(policy.stdout.isEmpty)
        #expect(policy.stderr.contains("has no automated checks"))

        // status, text and JSON.
        let status = try sop(["status", "jo"])
        Golden.assertMatches(status.stdout, named: "offboarding/status.txt")
        expectNoAWSWords(status.stdout, in: "sop status jo")
        let json = try sop(["status", "jo", "--json"])
        #expect(json.stdout.contains("Schedule access removal 5 days ahead"))
        #expect(!json.stdout.contains("${"))

        // the handover packet.
        let packet = dir.path("packet")
        try sop(["handover", "jo", "--out", packet.path, "--audience", "customer"])
        let markdown = try String(contentsOf: packet.appendingPathComponent("handover.md"), encoding: .utf8)
        let html = try String(contentsOf: packet.appendingPathComponent("handover.html"), encoding: .utf8)
        Golden.assertMatches(markdown, named: "offboarding/handover.md")
        expectNoAWSWords(markdown, in: "handover.md")
        expectNoAWSWords(html, in: "handover.html")
        #expect(html.contains("<div class=\"kicker\">Employee handover</div>"))

        // the site: customer, portfolio and activity pages, and the navigation.
        let site = dir.path("site")
        try sop(["site", "build", "--out", site.path])
        let page = try String(contentsOf: site.appendingPathComponent("customers/jo.html"), encoding: .utf8)
        Golden.assertMatches(page, named: "offboarding/site-customer.html")
        for name in ["index.html", "activity.html", "customers/jo.html"] {
            let text = try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
            expectNoAWSWords(text, in: "site \(name)")
            #expect(text.contains("templates/employee-offboarding-1.1.0.html\">SOP</a>"), "\(name) links its SOP")
        }

        // the git wiki.
        let bare = dir.path("wiki.git")
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/git"), ["init", "--quiet", "--bare", bare.path])
        try sop(["publish", "jo", "--git-wiki", bare.path])
        let clone = dir.path("wiki")
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/git"), ["clone", "--quiet", bare.path, clone.path])
        let home = try String(contentsOf: clone.appendingPathComponent("Home.md"), encoding: .utf8)
        let wikiPage = try String(contentsOf: clone.appendingPathComponent("Jo-Bloggs.md"), encoding: .utf8)
        #expect(home.hasPrefix("# Customer employees\n"))
        Golden.assertMatches(wikiPage, named: "offboarding/wiki-page.md")
        expectNoAWSWords(home + wikiPage, in: "the git wiki")

        // upgrade to 1.1.0: the plan, then the move; the audit trail stays intact.
        let plan = try sop(["upgrade", "jo", "--to", "1.1.0", "--dry-run"])
        Golden.assertMatches(plan.stdout, named: "offboarding/upgrade-plan.txt")
        expectNoAWSWords(plan.stdout, in: "the upgrade plan")
        try sop(["upgrade", "jo", "--to", "1.1.0"])
        let after = try sop(["status", "jo"])
        #expect(after.stdout.contains("employee-offboarding@1.1.0"))
        #expect(after.stdout.contains("prep.exit-interview"))
        expectNoAWSWords(after.stdout, in: "sop status jo after the upgrade")
        #expect(try sop(["audit", "verify"]).stdout.hasPrefix("audit trail intact: "))
    }

    @Test func theTemplateDecidesWhatNewAsks() throws {
        // Regions are refused for a template that takes none; the AWS template still needs --email.
        let regions = try sop(
            ["new", "jo", "--name", "Jo", "--template", "employee-offboarding", "--regions", "eu-west-1"], expect: 2)
        #expect(
            regions.stderr
                == "sop: error: --regions 'eu-west-1': template employee-offboarding@1.1.0 takes no regions (provider: none)\n"
        )
        let email = try sop(["new", "acme", "--name", "Acme"], expect: 2)
        #expect(email.stderr.hasPrefix("sop: error: --email is required: template aws-account@"))
        #expect(try sop(["customers"]).stdout.contains("no customers"))
    }

    @Test func regionsOfTheTemplatesCloudMakeItsConditionsTrue() throws {
        let folder = dir.path("gcp-templates/gcp-project")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(
            """
            ---
            id: gcp-project
            version: 1.0.0
            title: GCP Project SOP
            subject: GCP project
            provider: gcp
            roles: [Engineer]
            ---

            # GCP Project SOP

            ## 1. Residency

            - [ ] **EU data residency:** Resources stay in the EU.
              <!-- sop
              id: residency.eu
              evidence: [note]
              when: regions has europe-west1
              -->
            """.utf8
        ).write(to: folder.appendingPathComponent("1.0.0.md"))
        var environment = env
        environment["SOP_TEMPLATES"] = dir.path("gcp-templates").path
        let created = try runSOP(
            ["new", "p1", "--name", "P1", "--template", "gcp-project", "--regions", "europe-west1"],
            environment: environment)
        #expect(
            created.stdout == "created p1 (P1) on gcp-project@1.0.0: 1 items, 0 not applicable\n", "\(created.stderr)")
        let aws = try runSOP(
            ["new", "p2", "--name", "P2", "--template", "gcp-project", "--regions", "eu-west-1"],
            environment: environment)
        #expect(aws.status == 2)
        #expect(
            aws.stderr == "sop: error: --regions: 'eu-west-1' is not a Google Cloud region name (like europe-west1)\n")
        let packet = dir.path("gcp-packet")
        #expect(try runSOP(["handover", "p1", "--out", packet.path], environment: environment).status == 0)
        let html = try String(contentsOf: packet.appendingPathComponent("handover.html"), encoding: .utf8)
        #expect(html.contains("<div class=\"kicker\">GCP project handover</div>"))
        #expect(!html.contains("AWS"))
    }
}

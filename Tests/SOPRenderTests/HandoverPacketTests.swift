import Foundation
import SOPRender
import TestSupport
import Testing

/// The packet on disk: every file in the manifest, `sha256sum -c` passes, evidence
/// exported with safe unique names, and the destination policy.
@Suite struct HandoverPacketTests {
    func packet(_ audience: Audience = .customer, report: CustomerReportView = Fixtures.report()) -> HandoverPacket {
        HandoverPacket(report: report, audience: audience, date: Fixtures.now, preparedBy: "Dana")
    }

    @Test func manifestPassesSha256sum() throws {
        let temp = TemporaryDirectory("sop-packet")
        let out = temp.path("packet")
        let result = try packet(.internal).write(to: out, evidence: Fixtures.blobs)
        #expect(
            result.files == [
                "evidence/order_form_signed-2.pdf", "evidence/order_form_signed.pdf",
                "handover.html", "handover.md", "MANIFEST.sha256",
            ])
        let check = try runProcess(
            URL(fileURLWithPath: "/usr/bin/sha256sum"), ["-c", "MANIFEST.sha256"], currentDirectory: out)
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("evidence/order_form_signed.pdf: OK"))
        #expect(check.stdout.contains("evidence/order_form_signed-2.pdf: OK"))
        #expect(check.stdout.contains("handover.html: OK"))
        // Every file in the folder (but the manifest) is listed.
        let manifest = try String(contentsOf: out.appendingPathComponent("MANIFEST.sha256"), encoding: .utf8)
        let listed = Set(manifest.split(separator: "\n").map { String($0.dropFirst(66)) })
        var onDisk: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: out.path)
        while let path = enumerator?.nextObject() as? String {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path, isDirectory: &isDir)
            if !isDir.boolValue && path != "MANIFEST.sha256" { onDisk.insert(path) }
        }
        #expect(listed == onDisk)
        // Exported bytes are exact, and the HTML links them relatively.
        #expect(
            FileManager.default.contents(atPath: out.appendingPathComponent("evidence/order_form_signed.pdf").path)
                == Fixtures.orderForm)
        let html = try String(contentsOf: out.appendingPathComponent("handover.html"), encoding: .utf8)
        #expect(html.contains("href=\"evidence/order_form_signed.pdf\""))
        #expect(!html.contains("href=\"/"))
    }

    @Test func tamperingIsCaughtBySha256sum() throws {
        let temp = TemporaryDirectory("sop-packet")
        let out = temp.path("packet")
        _ = try packet().write(to: out, evidence: Fixtures.blobs)
        try Data("changed".utf8).write(to: out.appendingPathComponent("handover.md"))
        let check = try runProcess(
            URL(fileURLWithPath: "/usr/bin/sha256sum"), ["-c", "MANIFEST.sha256"], currentDirectory: out)
        #expect(check.status != 0)
        #expect(check.stdout.contains("handover.md: FAILED"))
    }

    @Test func customerAudienceLeavesOutInternalEvidence() throws {
        let temp = TemporaryDirectory("sop-packet")
        let out = temp.path("packet")
        _ = try packet(.customer).write(to: out, evidence: Fixtures.blobs)
        for file in ["handover.md", "handover.html"] {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("customer was slow"), "\(file) leaks internal evidence")
            #expect(text.contains("aws\\-root@acme.example") || text.contains("aws-root@acme.example"))
        }
        let internalOut = temp.path("internal")
        _ = try packet(.internal).write(to: internalOut, evidence: Fixtures.blobs)
        let text = try String(contentsOf: internalOut.appendingPathComponent("handover.md"), encoding: .utf8)
        #expect(text.contains("customer was slow"))
    }

    @Test func destinationPolicy() throws {
        let temp = TemporaryDirectory("sop-packet")
        // A folder with someone's files is refused, and left alone.
        let other = temp.path("documents")
        try temp.write("documents/thesis.txt", "mine")
        #expect(throws: RenderError.self) { try packet().write(to: other, evidence: Fixtures.blobs) }
        #expect(FileManager.default.fileExists(atPath: other.appendingPathComponent("thesis.txt").path))
        // --force replaces it.
        _ = try packet().write(to: other, evidence: Fixtures.blobs, force: true)
        #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent("thesis.txt").path))
        // A previous packet is replaced without --force.
        _ = try packet(.internal).write(to: other, evidence: Fixtures.blobs)
        // A failure (missing evidence bytes) leaves the previous packet untouched and no temp folders.
        let before = try Data(contentsOf: other.appendingPathComponent("handover.md"))
        #expect(throws: RenderError.self) { try packet().write(to: other, evidence: InMemoryEvidence()) }
        #expect(try Data(contentsOf: other.appendingPathComponent("handover.md")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temp.url.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary folders left: \(leftovers)")
    }

    @Test func damagedEvidenceIsRefused() throws {
        let temp = TemporaryDirectory("sop-packet")
        let wrong = InMemoryEvidence([
            Fixtures.sha256(Fixtures.orderForm): Data("tampered".utf8),
            Fixtures.sha256(Fixtures.policyPDF): Fixtures.policyPDF,
        ])
        #expect(throws: RenderError.self) { try packet().write(to: temp.path("p"), evidence: wrong) }
    }

    @Test func hostileFileNamesAreSanitisedAndUnique() throws {
        let temp = TemporaryDirectory("sop-packet")
        let out = temp.path("packet")
        let report = Fixtures.report(fileName: "../../\u{202E}evil\u{0000}<script>.pdf")
        let result = try packet(.internal, report: report).write(to: out, evidence: Fixtures.blobs)
        let evidence = result.files.filter { $0.hasPrefix("evidence/") }
        #expect(evidence.count == 2)
        for path in evidence {
            #expect(
                path.dropFirst("evidence/".count).allSatisfy {
                    $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0))
                }, "\(path)")
        }
        let check = try runProcess(
            URL(fileURLWithPath: "/usr/bin/sha256sum"), ["-c", "MANIFEST.sha256"], currentDirectory: out)
        #expect(check.status == 0)
    }

    @Test func longNamesDoNotCrash() throws {
        let temp = TemporaryDirectory("sop-packet")
        let long = String(repeating: "Ünïcødé ", count: 1_250)
        let report = Fixtures.report(name: long, note: long, reason: long, fileName: long + ".pdf", by: long)
        let result = try packet(.internal, report: report).write(to: temp.path("p"), evidence: Fixtures.blobs)
        #expect(result.files.allSatisfy { $0.utf8.count < 120 })
    }
}

@Suite struct ThemeTests {
    @Test func embeddedCSSMatchesTheRepositoryCopy() throws {
        let url = Paths.repositoryRoot.appendingPathComponent("site/theme/sop.css")
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(file == SiteTheme.css, "site/theme/sop.css and SiteTheme.css differ: run Tests/Harness/sync-theme.sh")
    }
}

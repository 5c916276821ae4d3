import Foundation
import SOPRender
import TestSupport
import Testing

/// Publishing to a git wiki, with a bare repository on disk as the remote.
@Suite struct GitWikiPublisherTests {
    let git = URL(fileURLWithPath: "/usr/bin/git")

    func commits(_ bare: URL) throws -> Int {
        let result = try runProcess(git, ["--git-dir", bare.path, "rev-list", "--all", "--count"])
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    func show(_ bare: URL, _ path: String) throws -> String {
        try runProcess(git, ["--git-dir", bare.path, "show", "HEAD:\(path)"]).stdout
    }

    @Test func pushesOneCommitThenNothing() throws {
        let temp = TemporaryDirectory("sop-gitwiki")
        let bare = temp.path("wiki.git")
        let initResult = try runProcess(git, ["init", "--quiet", "--bare", bare.path])
        #expect(initResult.status == 0)
        let publisher = GitWikiPublisher(remote: bare.path)
        let report = Fixtures.report(name: "Acme Corp")

        let first = try publisher.publish(report: report, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(first.changed)
        #expect(first.page == "Acme-Corp")
        #expect(try commits(bare) == 1)
        let files = try runProcess(git, ["--git-dir", bare.path, "ls-tree", "-r", "--name-only", "HEAD"]).stdout
            .split(separator: "\n").map(String.init)
        #expect(
            files == [
                "Acme-Corp.md", "Home.md", "_Sidebar.md", "uploads/acme/order_form_signed-2.pdf",
                "uploads/acme/order_form_signed.pdf",
            ])
        let page = try show(bare, "Acme-Corp.md")
        #expect(page.hasPrefix("# Acme Corp\n"))
        #expect(page.contains("(<uploads/acme/order_form_signed.pdf>)"))
        #expect(try show(bare, "Home.md").contains("[Acme Corp](Acme-Corp)"))
        #expect(
            try show(bare, "uploads/acme/order_form_signed.pdf") == String(decoding: Fixtures.orderForm, as: UTF8.self))

        // Same data again: nothing committed, nothing pushed.
        let second = try publisher.publish(report: report, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(!second.changed)
        #expect(try commits(bare) == 1)

        // A change: exactly one more commit.
        var changed = report
        changed.sections[2].items[0].status = .done
        let third = try publisher.publish(report: changed, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(third.changed)
        #expect(try commits(bare) == 2)
    }

    @Test func unreachableRemoteIsOneLine() throws {
        let temp = TemporaryDirectory("sop-gitwiki")
        let publisher = GitWikiPublisher(remote: temp.path("missing.git").path)
        do {
            _ = try publisher.publish(report: Fixtures.report(), date: Fixtures.now, evidence: Fixtures.blobs)
            Issue.record("publishing to a missing repository succeeded")
        } catch let error as RenderError {
            #expect(error.description.hasPrefix("git wiki: cannot clone"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func pageNames() {
        #expect(GitWikiPublisher.pageName(for: CustomerView(slug: "acme", name: "Acme Corp, Inc.")) == "Acme-Corp-Inc")
        #expect(GitWikiPublisher.pageName(for: CustomerView(slug: "x", name: "../../<script>")) == "script")
        #expect(GitWikiPublisher.pageName(for: CustomerView(slug: "home-co", name: "Home")) == "home-co")
        #expect(GitWikiPublisher.pageName(for: CustomerView(slug: "u", name: "中文")) == "u")
    }
}

import Foundation

/// Publishes a customer page to a git-backed wiki (GitHub, GitLab, Gitea): clone, write
/// the pages as Markdown in the wiki layout, commit, push one commit.
///
/// Layout: `Home.md` (the list of customer pages), `_Sidebar.md` (the same list),
/// `<Customer-Name>.md` (the page), `uploads/<slug>/<file>` (evidence files, linked by
/// relative path). Nothing is committed or pushed when the files are already identical.
public struct GitWikiPublisher: Sendable {
    public var remote: String
    public var git: URL
    /// Author of the commit (also the committer).
    public var author: String
    public var email: String

    public init(
        remote: String, git: URL = URL(fileURLWithPath: "/usr/bin/git"), author: String = "sop",
        email: String = "sop@localhost"
    ) {
        self.remote = remote
        self.git = git
        self.author = author
        self.email = email
    }

    public struct Outcome: Sendable, Equatable {
        public var page: String
        public var changed: Bool
        public var commit: String?
    }

    public func publish(report: CustomerReportView, date: Date, evidence: EvidenceFileSource) throws -> Outcome {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-gitwiki-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        // `--` first: a remote like `--upload-pack=…` or `--version` is a path to git, never an option.
        // `ext::` (which runs a command) is refused whatever the user's git config says.
        try run(
            ["-c", "protocol.ext.allow=never", "clone", "--quiet", "--", remote, work.path], in: nil,
            what: "clone \(remote)")

        let page = Self.pageName(for: report.customer)
        let slug = FileNames.sanitize(report.customer.slug, fallback: "customer")
        var paths: [String: String] = [:]
        var taken: Set<String> = []
        let out = OutputFolder(root: work)
        // Replace this customer's uploads wholesale so retracted files disappear too.
        try? FileManager.default.removeItem(at: work.appendingPathComponent("uploads/\(slug)"))
        for item in report.items {
            for ref in item.evidence where ref.kind == .file {
                let name = FileNames.unique(
                    FileNames.sanitize(ref.fileName ?? "", fallback: "evidence-\(ref.shortHash)"), taken: taken)
                taken.insert(name.lowercased())
                let path = "uploads/\(slug)/\(name)"
                try out.write(path, try evidence.data(for: ref))
                paths[ref.id] = path
            }
        }
        let context = HandoverContext(
            report: report, audience: .internal, date: date, preparedBy: "sop", evidencePaths: paths)
        try out.write(
            "\(page).md", HandoverMarkdown(context: context, heading: UserText.line(report.customer.name)).render())
        try writeIndex(in: work, title: report.template.customersTitle)

        try run(["add", "--all"], in: work, what: "stage pages")
        let status = try run(["status", "--porcelain"], in: work, what: "inspect changes")
        guard !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return Outcome(page: page, changed: false, commit: nil)
        }
        try run(
            [
                "-c", "user.name=\(author)", "-c", "user.email=\(email)", "commit", "--quiet", "-m",
                "Update \(page) (sop, \(RenderDate.minute(date)))",
            ], in: work, what: "commit")
        let branch = try run(["symbolic-ref", "--short", "HEAD"], in: work, what: "find the branch")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try run(["push", "--quiet", "origin", "HEAD:refs/heads/\(branch)"], in: work, what: "push to \(remote)")
        let commit = try run(["rev-parse", "HEAD"], in: work, what: "read the commit").trimmingCharacters(
            in: .whitespacesAndNewlines)
        return Outcome(page: page, changed: true, commit: commit)
    }

    /// `Home.md` and `_Sidebar.md` list every page in the wiki except the special ones. The home
    /// is titled by the template's subject ("Customer AWS accounts"); once pages of templates with
    /// different subjects share the wiki it says "Customers", and stays so.
    func writeIndex(in work: URL, title proposed: String) throws {
        let home = work.appendingPathComponent("Home.md")
        let existing = (try? String(contentsOf: home, encoding: .utf8))?.split(separator: "\n").first
            .map { String($0.dropFirst(2)) }
        let title = existing.map { $0 == proposed ? proposed : "Customers" } ?? proposed
        let files = (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []
        let pages = files.filter { $0.hasSuffix(".md") && !$0.hasPrefix("_") && $0 != "Home.md" }
            .map { String($0.dropLast(3)) }.sorted()
        let list = pages.map { "- [\(MarkdownEscaper.inline($0.replacingOccurrences(of: "-", with: " ")))](\($0))" }
            .joined(separator: "\n")
        let out = OutputFolder(root: work)
        try out.write(
            "Home.md",
            "# \(MarkdownEscaper.inline(title))\n\nPages generated by sop from the tracker; edits here are replaced on the next publish.\n\n\(list)\n"
        )
        try out.write("_Sidebar.md", "**Customers**\n\n\(list)\n")
    }

    /// The wiki page name: the customer's name with hyphens for spaces, only characters
    /// every git wiki accepts in a file name.
    public static func pageName(for customer: CustomerView) -> String {
        var name = ""
        for ch in UserText.line(customer.name) {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                name.append(ch)
            } else if !name.hasSuffix("-") && !name.isEmpty {
                name.append("-")
            }
        }
        while name.hasSuffix("-") { name.removeLast() }
        if name.count > 80 { name = String(name.prefix(80)) }
        while name.hasSuffix("-") { name.removeLast() }
        if name.isEmpty || name == "Home" { name = FileNames.sanitize(customer.slug, fallback: "Customer") }
        return name
    }

    @discardableResult
    func run(_ arguments: [String], in directory: URL?, what: String) throws -> String {
        let process = Process()
        process.executableURL = git
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RenderError("cannot run git (\(git.path)): \(error.localizedDescription)")
        }
        // Read both pipes before waiting so a chatty git never blocks on a full pipe.
        let errBox = PipeBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message =
                String(decoding: errBox.data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw RenderError("git wiki: cannot \(what): \(UserText.line(message))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

private final class PipeBox: @unchecked Sendable { var data = Data() }

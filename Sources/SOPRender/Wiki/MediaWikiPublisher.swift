import Crypto
import Foundation
import SOPCore

/// Publishes one customer page to MediaWiki: a pipeline of steps over one logged-in session.
///
/// ```
/// login → upload evidence files (skipped when the wiki's SHA-1 matches) → render wikitext
///       → edit (assert=user, bot=1, summary) → report changed / unchanged
/// ```
/// Retry policy, from the Action API's error codes: `badtoken` → fetch a new token and retry
/// once; `assertuserfailed` → log in again and retry once; everything else (edit conflicts,
/// permission errors, rate limits) stops with one clear line.
public struct MediaWikiPublisher: Sendable {
    public var client: MediaWikiClient
    public var user: String
    public var password: String

    public init(client: MediaWikiClient, user: String, password: String) {
        self.client = client
        self.user = user
        self.password = password
    }

    public struct Outcome: Sendable, Equatable {
        public var title: String
        public var pageChanged: Bool
        public var uploaded: [String]
        public var unchangedFiles: [String]
        /// Files the wiki would not take (banned type), with the reason; linked as text.
        public var skippedFiles: [String]
        /// How often a step was retried after `badtoken` or `assertuserfailed`.
        public var retries: Int

        public var isUnchanged: Bool { !pageChanged && uploaded.isEmpty }
    }

    /// Publishes `report` as page `title`. Call ``MediaWikiClient/login(user:password:)`` first
    /// or let this do it (it logs in when the client has no token).
    public func publish(report: CustomerReportView, title: String, date: Date, evidence: EvidenceFileSource)
        async throws -> Outcome
    {
        if await client.csrfToken == nil { try await client.login(user: user, password: password) }
        var outcome = Outcome(
            title: title, pageChanged: false, uploaded: [], unchangedFiles: [], skippedFiles: [], retries: 0)

        // Step 1: evidence files first, so the page's file links are not red.
        var files: [String: String] = [:]
        for (name, ref) in Self.planFiles(report) {
            let data = try evidence.data(for: ref)
            let sha1 = ContentHash.hex(Insecure.SHA1.hash(data: data))
            if try await client.fileSHA1(name) == sha1 {
                outcome.unchangedFiles.append(name)
                files[ref.id] = name
                continue
            }
            do {
                let changed = try await withRetry(&outcome) {
                    try await client.upload(
                        name: name, data: data, mediaType: ref.mediaType ?? "application/octet-stream",
                        comment: "Evidence \(ref.id) for \(UserText.line(report.customer.slug)) (sop)")
                }
                if changed { outcome.uploaded.append(name) } else { outcome.unchangedFiles.append(name) }
                files[ref.id] = name
            } catch let error as MediaWikiError where Self.fileRejections.contains(error.code) {
                outcome.skippedFiles.append("\(name) (\(error.code))")
            }
        }

        // Step 2: the page.
        let text = WikitextPage(report: report, date: date, files: files).render()
        let current = try await client.page(title)
        // Saved wikitext loses trailing whitespace; compare the way the wiki stores it.
        if let current, Self.normalized(current.text) == Self.normalized(text) {
            return outcome
        }
        let summary =
            "sop: \(UserText.line(report.customer.slug)) at \(RenderDate.minute(date)), \(report.progress.percent)% done"
        outcome.pageChanged = try await withRetry(&outcome) {
            try await client.edit(title: title, text: text, summary: summary, baseRevision: current?.revision)
        }
        return outcome
    }

    static let fileRejections: Set<String> = [
        "filetype-banned", "verification-error", "filetype-missing", "empty-file",
        "file-too-large", "illegal-filename", "filename-tooshort",
    ]

    static func normalized(_ text: String) -> String {
        var t = text
        while let last = t.last, last.isWhitespace { t.removeLast() }
        return t
    }

    /// Wiki file names: `SOP-<slug>-<sanitised name>`, unique, in evidence order.
    static func planFiles(_ report: CustomerReportView) -> [(String, EvidenceRef)] {
        var planned: [(String, EvidenceRef)] = []
        var taken: Set<String> = []
        var byContent: [String: String] = [:]
        let slug = FileNames.sanitize(report.customer.slug, fallback: "customer")
        for item in report.items {
            for ref in item.evidence where ref.kind == .file {
                var base = FileNames.sanitize(ref.fileName ?? "", fallback: "evidence-\(ref.shortHash)")
                if FileNames.split(base).ext.isEmpty { base += ".bin" }
                let name = "SOP-\(slug)-\(base)"
                let key = ref.sha256 + "/" + name.lowercased()
                if byContent[key] != nil { continue }
                let unique = FileNames.unique(name, taken: taken)
                taken.insert(unique.lowercased())
                byContent[key] = unique
                planned.append((unique, ref))
            }
        }
        return planned
    }

    /// Runs `body`; on `badtoken` fetches a new token, on `assertuserfailed` logs in again,
    /// then runs it once more.
    func withRetry<T: Sendable>(_ outcome: inout Outcome, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MediaWikiError where error.code == "badtoken" {
            outcome.retries += 1
            try await client.refreshToken()
        } catch let error as MediaWikiError where error.code == "assertuserfailed" || error.code == "assertbotfailed" {
            outcome.retries += 1
            try await client.login(user: user, password: password)
        }
        return try await body()
    }
}

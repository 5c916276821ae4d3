import Foundation
import SOPCore
import SOPRender
import SOPStore

/// What `sop handover` wrote.
public struct HandoverResult: Sendable {
    public var files: [String]
    public var folder: URL
}

/// What `sop publish` did on the wiki.
public enum PublishResult: Sendable {
    case gitWiki(page: String, changed: Bool, commit: String?)
    case mediaWiki(title: String, unchanged: Bool, pageChanged: Bool, uploaded: Int, url: String?)
}

/// Where `sop publish` writes.
public enum PublishTarget: Sendable {
    case gitWiki(String)
    case mediaWiki(apiURL: String, user: String?, passwordVariable: String?, page: String?)
}

extension SOPApplication {
    /// Parses `--audience`; `option` is how the front end names it in the message.
    public static func audience(_ text: String, allowed: String) throws -> Audience {
        guard let audience = Audience(rawValue: text.lowercased()) else {
            throw AppError.badInput("--audience must be \(allowed), not '\(text)'")
        }
        return audience
    }

    /// `sop handover`: the customer's packet, written to a temporary folder and moved into place
    /// whole (a previous packet is replaced; another non-empty folder only with `force`).
    public func handover(slug: String, to folder: String, audience: Audience, preparedBy: String?, force: Bool) throws
        -> HandoverResult
    {
        let tracker = try Tracker.open(context)
        let now = try renderNow()
        let destination = URL(fileURLWithPath: folder).standardizedFileURL
        try refuseToReplaceTheTracker(with: destination)
        let preparedBy = try context.actor(preparedBy, option: "--prepared-by")
        let result: HandoverPacket.Result = try rendering {
            try tracker.run { store in
                let report = try StoreAdapter(store: store, templates: context.templateLibrary).report(slug: slug)
                let packet = HandoverPacket(report: report, audience: audience, date: now, preparedBy: preparedBy)
                return try packet.write(
                    to: destination, evidence: CustomerEvidenceFiles(store: store, slug: slug),
                    force: force)
            }
        }
        return HandoverResult(files: result.files, folder: destination)
    }

    /// `sop site build`: dashboard, customer, template and activity pages, built beside `folder`
    /// and swapped in whole. Templates that do not parse are skipped with a warning.
    public func buildSite(to folder: String, force: Bool) throws -> (files: [String], folder: URL) {
        let tracker = try Tracker.open(context)
        let now = try renderNow()
        var templates: [Template] = []
        let library = context.templateLibrary
        for entry in library.entries() {
            do {
                templates.append(try library.load(entry.reference))
            } catch {
                context.output.warning(
                    "template \(entry.reference) skipped: \(String(describing: error).split(separator: "\n").first ?? "")"
                )
            }
        }
        let destination = URL(fileURLWithPath: folder).standardizedFileURL
        try refuseToReplaceTheTracker(with: destination)
        let adapter = StoreAdapter(store: tracker.store, templates: context.templateLibrary)
        // Reports are read in batches while their pages are written (one batch per core), not
        // all up front.
        let files: [String] = try tracker.run { _ in
            let input = SiteInput(
                portfolio: try adapter.portfolio(), templates: templates,
                activity: try adapter.activity(limit: 200), now: now,
                loadReports: { slugs in try adapter.reports(slugs: slugs) })
            return try rendering { try SiteBuilder(input: input).build(to: destination, force: force) }
        }
        return (files, destination)
    }

    /// `sop publish`: the customer page on a git wiki or a MediaWiki, stamped with the time the
    /// customer's data last changed (not "now"), so publishing unchanged data changes nothing.
    /// A wiki that refuses is "not OK"; a bad request is bad input.
    public func publish(slug: String, to target: PublishTarget, audience: Audience) async throws -> PublishResult {
        let tracker = try Tracker.open(context)
        let store = tracker.store
        defer { store.close() }
        let now = try renderNow()
        let report = try tracker.mapped {
            try StoreAdapter(store: store, templates: context.templateLibrary).report(slug: slug)
        }.visible(to: audience)
        let stamp = report.lastChange ?? now
        let evidence = CustomerEvidenceFiles(store: store, slug: slug)
        switch target {
        case .gitWiki(let remote):
            do {
                let outcome = try GitWikiPublisher(remote: remote).publish(
                    report: report, date: stamp, evidence: evidence)
                return .gitWiki(page: outcome.page, changed: outcome.changed, commit: outcome.commit)
            } catch let error as RenderError {
                throw AppError.notOK(error.description)
            }
        case .mediaWiki(let api, let user, let passwordVariable, let page):
            guard let apiURL = URL(string: api), let scheme = apiURL.scheme?.lowercased(),
                scheme == "http" || scheme == "https"
            else {
                throw AppError.badInput("--mediawiki must be an http(s) URL of api.php, not '\(api)'")
            }
            guard let user, !user.isEmpty else { throw AppError.badInput("--mediawiki needs --user USER@BOT") }
            guard let passwordVariable, !passwordVariable.isEmpty else {
                throw AppError.badInput("--mediawiki needs --password-env VAR")
            }
            guard let password = context.environment[passwordVariable], !password.isEmpty else {
                throw AppError.badInput(
                    "the environment variable \(passwordVariable) (named by --password-env) is not set")
            }
            let title = page ?? WikitextPage.title(for: report.customer)
            let client = MediaWikiClient(apiURL: apiURL)
            let publisher = MediaWikiPublisher(client: client, user: user, password: password)
            do {
                let outcome = try await publisher.publish(report: report, title: title, date: stamp, evidence: evidence)
                for skipped in outcome.skippedFiles {
                    context.output.warning("the wiki did not accept \(skipped); it is listed without a link")
                }
                var url: String?
                if !outcome.isUnchanged { url = (try? await client.pageURL(title)) ?? nil }
                return .mediaWiki(
                    title: title, unchanged: outcome.isUnchanged, pageChanged: outcome.pageChanged,
                    uploaded: outcome.uploaded.count, url: url)
            } catch let error as MediaWikiError {
                throw AppError.notOK(error.description)
            } catch let error as RenderError {
                throw AppError.notOK(error.description)
            }
        }
    }

    /// An output folder is replaced whole; the tracker (and its WAL files) must not be in it,
    /// whatever `--force` says.
    func refuseToReplaceTheTracker(with destination: URL) throws {
        guard case .file(let database) = TrackerLocation(context.databasePath) else { return }
        for path in [database, database + "-wal", database + "-shm"]
        where OutputFile.isInside(path, folder: destination.path) {
            throw AppError.badInput(
                "\(destination.path) holds the tracker database \(database); choose another output folder")
        }
    }

    /// "Now" for rendered documents (`SOP_NOW` pins it).
    func renderNow() throws -> Date {
        do { return try RenderClock.now(environment: context.environment) } catch {
            throw AppError.badInput("\(error)")
        }
    }

    /// Rendering failures are bad input (a destination that is not ours, a damaged file).
    func rendering<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RenderError { throw AppError.badInput(error.description) }
    }
}

import ArgumentParser
import Foundation
import SOPRender

/// `sop publish SLUG --mediawiki API_URL … | --git-wiki URL_OR_PATH`: the customer page on a wiki.
///
/// Pages are stamped with the time the customer's data last changed, not "now", so
/// publishing unchanged data changes nothing and prints "unchanged".
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a customer page to a wiki.",
        discussion: """
            MediaWiki: --mediawiki https://wiki/api.php --user USER@BOT --password-env VAR (a bot password \
            with the editpage, createeditmovepage and uploadfile grants; read from the environment variable \
            named, never printed). Evidence files are uploaded first.
            Git wikis (GitHub, GitLab, Gitea): --git-wiki URL_OR_PATH clones, writes Home.md, _Sidebar.md and \
            <Customer-Name>.md with uploads/, and pushes one commit.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Option(name: .customLong("mediawiki"), help: ArgumentHelp("The wiki's api.php URL.", valueName: "url")) var mediawiki: String?
    @Option(help: ArgumentHelp("Bot user name (User@Bot).", valueName: "user")) var user: String?
    @Option(name: .customLong("password-env"), help: ArgumentHelp("Environment variable holding the bot password.", valueName: "var"))
    var passwordEnv: String?
    @Option(help: ArgumentHelp("MediaWiki page title (default: SOP/<customer name>).", valueName: "title")) var page: String?
    @Option(name: .customLong("git-wiki"), help: ArgumentHelp("A git wiki to clone and push to.", valueName: "url-or-path"))
    var gitWiki: String?
    @Option(help: "internal (default) or customer.") var audience: String = "internal"

    func run() async throws {
        guard (mediawiki == nil) != (gitWiki == nil) else {
            throw CommandFailure("name exactly one target: --mediawiki API_URL or --git-wiki URL_OR_PATH")
        }
        guard let audience = Audience(rawValue: audience.lowercased()) else {
            throw CommandFailure("--audience must be internal or customer, not '\(audience)'")
        }
        let context = try TrackerContext.open(global)
        let store = context.store
        defer { store.close() }
        let now: Date
        do { now = try RenderClock.now(environment: context.environment) } catch { throw CommandFailure("\(error)") }
        let report = try TrackerContext.mapped { try StoreAdapter(store: store).report(slug: slug) }.visible(to: audience)
        let stamp = report.lastChange ?? now
        let evidence = CustomerEvidenceFiles(store: store, slug: slug)

        if let gitWiki {
            do {
                let outcome = try GitWikiPublisher(remote: gitWiki).publish(report: report, date: stamp, evidence: evidence)
                if outcome.changed {
                    print("published \(outcome.page).md to \(gitWiki) (commit \(outcome.commit?.prefix(12) ?? ""))")
                } else {
                    print("unchanged: \(outcome.page).md in \(gitWiki) is already current")
                }
            } catch let error as RenderError {
                throw CommandFailure(error.description, code: 1)
            }
            return
        }

        guard let mediawiki, let apiURL = URL(string: mediawiki), let scheme = apiURL.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw CommandFailure("--mediawiki must be an http(s) URL of api.php, not '\(mediawiki ?? "")'")
        }
        guard let user, !user.isEmpty else { throw CommandFailure("--mediawiki needs --user USER@BOT") }
        guard let passwordEnv, !passwordEnv.isEmpty else { throw CommandFailure("--mediawiki needs --password-env VAR") }
        guard let password = context.environment[passwordEnv], !password.isEmpty else {
            throw CommandFailure("the environment variable \(passwordEnv) (named by --password-env) is not set")
        }
        let title = page ?? WikitextPage.title(for: report.customer)
        let client = MediaWikiClient(apiURL: apiURL)
        let publisher = MediaWikiPublisher(client: client, user: user, password: password)
        do {
            let outcome = try await publisher.publish(report: report, title: title, date: stamp, evidence: evidence)
            for skipped in outcome.skippedFiles {
                Terminal.standardError("sop: warning: the wiki did not accept \(skipped); it is listed without a link")
            }
            if outcome.isUnchanged {
                print("unchanged: \(title) is already current")
            } else {
                let url = (try? await client.pageURL(title)) ?? nil
                print("published \(title)" + (outcome.uploaded.isEmpty ? "" : " and \(outcome.uploaded.count) file(s)")
                    + (outcome.pageChanged ? "" : " (page text unchanged)") + (url.map { ": \($0)" } ?? ""))
            }
        } catch let error as MediaWikiError {
            throw CommandFailure(error.description, code: 1)
        } catch let error as RenderError {
            throw CommandFailure(error.description, code: 1)
        }
    }
}

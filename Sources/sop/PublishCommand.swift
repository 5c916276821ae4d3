import ArgumentParser
import Foundation
import SOPApp

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
    @Option(name: .customLong("mediawiki"), help: ArgumentHelp("The wiki's api.php URL.", valueName: "url"))
    var mediawiki: String?
    @Option(help: ArgumentHelp("Bot user name (User@Bot).", valueName: "user")) var user: String?
    @Option(
        name: .customLong("password-env"),
        help: ArgumentHelp("Environment variable holding the bot password.", valueName: "var"))
    var passwordEnv: String?
    @Option(help: ArgumentHelp("MediaWiki page title (default: SOP/<customer name>).", valueName: "title")) var page:
        String?
    @Option(
        name: .customLong("git-wiki"), help: ArgumentHelp("A git wiki to clone and push to.", valueName: "url-or-path"))
    var gitWiki: String?
    @Option(help: "internal (default) or customer.") var audience: String = "internal"

    func run() async throws {
        guard (mediawiki == nil) != (gitWiki == nil) else {
            throw CommandFailure("name exactly one target: --mediawiki API_URL or --git-wiki URL_OR_PATH")
        }
        let audience = try SOPApplication.audience(audience, allowed: "internal or customer")
        let target: PublishTarget =
            gitWiki.map { .gitWiki($0) }
            ?? .mediaWiki(apiURL: mediawiki ?? "", user: user, passwordVariable: passwordEnv, page: page)
        switch try await global.app.publish(slug: slug, to: target, audience: audience) {
        case .gitWiki(let page, let changed, let commit):
            if changed {
                print("published \(page).md to \(gitWiki ?? "") (commit \(commit?.prefix(12) ?? ""))")
            } else {
                print("unchanged: \(page).md in \(gitWiki ?? "") is already current")
            }
        case .mediaWiki(let title, let unchanged, let pageChanged, let uploaded, let url):
            if unchanged {
                print("unchanged: \(title) is already current")
            } else {
                print(
                    "published \(title)" + (uploaded == 0 ? "" : " and \(uploaded) file(s)")
                        + (pageChanged ? "" : " (page text unchanged)") + (url.map { ": \($0)" } ?? ""))
            }
        }
    }
}

extension PublishCommand: Exemplified {
    static let examples = [
        "sop publish acme --git-wiki git@github.com:qrc/customers.wiki.git",
        "sop publish acme --mediawiki https://wiki.internal/api.php --user dana@sop \\",
        "    --password-env WIKI_PASS",
    ]
}

import ArgumentParser
import Foundation
import SOPApp
import SOPCore

/// `sop evidence add|list|get|retract`: what proves an item is done.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Add, list and export evidence.",
        subcommands: [Add.self, List.self, Get.self, Retract.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Attach a note, a file or a link to an item.",
            discussion: """
                Files are stored inside the database, content-addressed by SHA-256, up to 25 MB \
                (SOP_MAX_EVIDENCE_BYTES). Notes, text files and links are scanned for secrets and card numbers.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Argument(help: "The item id.") var item: String
        @Option(help: "A note.") var note: String?
        @Option(help: ArgumentHelp("A file to store.", valueName: "path")) var file: String?
        @Option(help: ArgumentHelp("A link.", valueName: "url")) var link: String?
        @Option(help: "Who (default: $SOP_USER, else $USER).") var by: String?
        @Option(help: ArgumentHelp("When the evidence stops counting.", valueName: "YYYY-MM-DD")) var expires: String?
        @Flag(help: "Keep it out of customer-facing outputs.") var `internal` = false

        func validate() throws {
            let given = [note, file, link].compactMap { $0 }.count
            guard given == 1 else { throw ValidationError("give exactly one of --note, --file or --link") }
        }

        func run() async throws {
            let input: EvidenceInput
            if let note {
                input = .note(note)
            } else if let link {
                input = .link(link)
            } else {
                input = .file(path: file ?? "")
            }
            let info = try global.app.addEvidence(
                slug: slug, item: item, input: input, by: by, expires: expires,
                internal: `internal`)
            print("\(info.id) added to \(slug) \(item) (\(info.kind), sha256 \(info.sha256.prefix(12)))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a customer's evidence.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Argument(help: "Only this item.") var item: String?
        @Flag(help: "Print JSON: {\"evidence\": [...]}.") var json = false

        func run() async throws {
            let rows = try global.app.evidence(slug: slug, item: item)
            if json {
                TrackerJSON.print(["evidence": rows])
                return
            }
            if rows.isEmpty {
                print("no evidence")
                return
            }
            let table = rows.map { e -> [String] in
                var what: String
                switch e.kind {
                case "file": what = "\(e.fileName ?? "?") (\(ByteCount.format(e.size)))"
                case "check":
                    what = "\(e.checkId ?? "?")\(e.checkRegion.map { "@\($0)" } ?? ""): \(e.checkOutcome ?? "?")"
                default: what = e.text ?? ""
                }
                if what.count > 60 { what = String(what.prefix(57)) + "..." }
                var flags: [String] = []
                if e.internal { flags.append("internal") }
                if let expires = e.expires { flags.append("expires \(expires)") }
                if e.isRetracted { flags.append("retracted: \(e.retractedReason ?? "")") }
                return [e.id, e.item, e.kind, what, e.by, String(e.addedAt.prefix(10)), flags.joined(separator: "; ")]
            }
            print(TrackerTable.render(header: ["ID", "ITEM", "KIND", "CONTENT", "BY", "ADDED", "NOTES"], rows: table))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get", abstract: "Write the exact bytes of a piece of evidence to a file.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Argument(help: "The evidence id, like E12.") var evidence: String
        @Option(help: ArgumentHelp("Where to write.", valueName: "path")) var out: String
        @Flag(help: "Replace an existing file (never a link, a FIFO or a device).") var force = false

        func run() async throws {
            let exported = try global.app.exportEvidence(slug: slug, evidence: evidence, to: out, force: force)
            let info = exported.evidence
            print(
                "wrote \(info.id) to \(out) (\(ByteCount.format(exported.bytes)), sha256 \(info.sha256.prefix(12)) verified)"
            )
        }
    }

    struct Retract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retract", abstract: "Retract evidence (it is kept, marked retracted).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Argument(help: "The evidence id, like E12.") var evidence: String
        @Option(help: "Why.") var reason: String
        @Option(help: "Who (default: $SOP_USER, else $USER).") var by: String?

        func run() async throws {
            let info = try global.app.retractEvidence(slug: slug, evidence: evidence, reason: reason, by: by)
            print("\(info.id) retracted")
        }
    }
}

extension EvidenceCommand: Exemplified {
    static let examples = [
        "sop evidence add acme prep.company-details --file order-form.pdf",
        "sop evidence list acme",
        "sop evidence get acme E2 --out order-form.pdf",
    ]
}

extension EvidenceCommand.Add: Exemplified {
    static let examples = [
        "sop evidence add acme prep.root-email --note \"Root mailbox owned by Acme IT\"",
        "sop evidence add acme prep.company-details --file order-form.pdf",
        "sop evidence add acme gov.security-policies --link https://wiki.acme.example",
    ]
}

extension EvidenceCommand.List: Exemplified {
    static let examples = [
        "sop evidence list acme",
        "sop evidence list acme prep.company-details --json",
    ]
}

extension EvidenceCommand.Get: Exemplified {
    static let examples = [
        "sop evidence get acme E2 --out order-form.pdf",
        "sop evidence get acme E7 --out ~/handover/acme/root-mfa.png",
    ]
}

extension EvidenceCommand.Retract: Exemplified {
    static let examples = [
        "sop evidence retract acme E2 --reason \"another customer's order form\"",
        "sop evidence retract acme E5 --reason \"superseded by E9\" --by dana",
    ]
}

import ArgumentParser
import Foundation
import SOPApp
import SOPCore

/// `sop log SLUG`: a customer's history from the audit trail.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show a customer's history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer; omit for recent activity across all customers.") var slug: String?
    @Option(help: "Show at most this many events (newest).") var limit: Int?
    @Flag(help: "Print JSON: {\"events\": [...]}.") var json = false

    func run() async throws {
        let events = try global.app.log(slug: slug, limit: limit)
        if json {
            TrackerJSON.print(["events": events])
            return
        }
        if events.isEmpty {
            print("no events")
            return
        }
        for event in events {
            var line = "#\(event.seq)  \(event.at)  \(event.actor)  \(event.action)"
            if slug == nil, let customer = event.customer { line += "  \(customer)" }
            line += "  \(event.target)"
            let change = describe(before: event.before, after: event.after)
            if !change.isEmpty { line += "  \(change)" }
            print(line)
        }
    }

    /// `status: todo → done, reason: …` from the event's JSON.
    private func describe(before: String, after: String) -> String {
        let b = TrackerLogFields.parse(before)
        let a = TrackerLogFields.parse(after)
        var parts: [String] = []
        for key in a.keys.sorted() where !["sha256", "evidence_hash", "template_sha256"].contains(key) {
            guard let value = a[key] else { continue }
            if let old = b[key], old != value {
                parts.append("\(key): \(old) → \(value)")
            } else if b[key] == nil {
                parts.append("\(key): \(value)")
            }
        }
        return parts.joined(separator: ", ")
    }
}

/// Flattens an audit event's JSON object into printable strings: scalars as they are, short
/// lists of scalars joined, anything larger or nested as a count (`added=3 entries`), never a
/// language-level dump of the structure.
enum TrackerLogFields {
    static func parse(_ json: String) -> [String: String] {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object.mapValues { summary($0, nested: false) }
    }

    static func summary(_ value: Any, nested: Bool) -> String {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return "\(number)"
        case let list as [Any]:
            let scalars = list.allSatisfy { $0 is String || $0 is NSNumber }
            if list.isEmpty { return nested ? "0 entries" : "" }
            guard scalars, list.count <= 6, !nested else {
                return list.count == 1 ? "1 entry" : "\(list.count) entries"
            }
            return list.map { summary($0, nested: true) }.joined(separator: ",")
        case let dict as [String: Any]:
            guard !nested else { return "{\(dict.count) fields}" }
            return dict.keys.sorted().map { "\($0)=\(summary(dict[$0] as Any, nested: true))" }.joined(separator: ",")
        case is NSNull: return "null"
        default: return "?"
        }
    }
}

extension LogCommand: Exemplified {
    static let examples = [
        "sop log acme",
        "sop log --limit 20",
        "sop log acme --json",
    ]
}

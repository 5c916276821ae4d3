import Foundation
import SOPCore
import SOPStore

/// The content of generated evidence: notes of realistic length, and files — a few shared
/// documents (stored once, as the store deduplicates by SHA-256) and small per-customer ones.
enum EvidenceTexts {
    static let phrases = [
        "Confirmed with the customer's IT lead on the weekly call.",
        "Screenshot reviewed and filed in the engagement folder.",
        "Configuration matches the agreed design; no deviations.",
        "Checked in the console by the cloud engineer, second pair of eyes by the security lead.",
        "Customer asked for a follow-up review after the next release.",
        "Documented in the runbook, section on account baseline.",
        "Settings exported and compared with the baseline; identical.",
    ]

    static func note(item: Item, customer: String, random: inout SeededRandom) -> String {
        var text = "\(item.id) for \(customer): "
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            text += (random.pick(phrases) ?? phrases[0]) + " "
        }
        return text + "Ticket OPS-\(Int.random(in: 100...999, using: &random))."
    }

    /// Shared policy documents (binary, like PDFs) and small per-customer text exports.
    static let sharedDocuments: [(String, Data)] = (0..<4).map { index in
        var bytes = Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var random = SeededRandom(seed: UInt64(1000 + index))
        bytes.append(contentsOf: (0..<(24_000 + index * 8_000)).map { _ in UInt8.random(in: 0...255, using: &random) })
        return (
            ["security-policy.pdf", "tagging-standard.pdf", "access-control-matrix.pdf", "runbook.pdf"][index], bytes
        )
    }

    static func file(item: Item, customer: String, random: inout SeededRandom) -> EvidenceContent {
        if random.chance(0.4), let shared = random.pick(sharedDocuments) {
            return .file(name: shared.0, data: shared.1)
        }
        var lines = ["# \(item.id) export for \(customer)", ""]
        for row in 0..<Int.random(in: 10...60, using: &random) {
            lines.append("\(row),\(item.section),\(random.pick(phrases) ?? "")")
        }
        return .file(
            name: "\(item.id.replacingOccurrences(of: ".", with: "-"))-export.csv",
            data: Data(lines.joined(separator: "\n").utf8))
    }
}

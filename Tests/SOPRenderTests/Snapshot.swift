import Foundation
import Testing

/// Golden-file comparison for rendered output.
///
/// Files live in `Tests/SOPRenderTests/Snapshots/`. Re-record deliberately with
/// `SOP_RECORD_SNAPSHOTS=1 swift test --filter SOPRenderTests`; a recording run always
/// fails, so a changed golden file is never accepted silently — review the diff, commit it.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")

    static func assertMatches(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SOP_RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: url)
            Issue.record(
                "recorded snapshot \(name); review the diff and rerun without SOP_RECORD_SNAPSHOTS",
                sourceLocation: sourceLocation)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                "missing snapshot \(name); record it with SOP_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            let exp = line < e.count ? String(e[line]) : "<end>"
            let act = line < a.count ? String(a[line]) : "<end>"
            Issue.record(
                """
                \(name) differs from the golden file at line \(line + 1):
                  expected: \(exp.prefix(300))
                  actual:   \(act.prefix(300))
                re-record with SOP_RECORD_SNAPSHOTS=1 if the change is intended
                """, sourceLocation: sourceLocation)
        }
    }
}

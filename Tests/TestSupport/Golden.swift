import Foundation
import Testing

/// The one golden-file helper: compares output with `Snapshots/<name>` beside the calling test
/// file.
///
/// Re-record deliberately with `SOP_RECORD_SNAPSHOTS=1 swift test --filter <suite>`; a recording
/// run always fails, so a changed golden file is never accepted silently: review the diff and
/// commit it. A mismatch names the first differing line.
public enum Golden {
    public static func assertMatches(
        _ actual: String, named name: String, filePath: String = #filePath,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SOP_RECORD_SNAPSHOTS"] == "1" {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url)
                Issue.record(
                    "recorded snapshot \(name); review the diff and rerun without SOP_RECORD_SNAPSHOTS",
                    sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot record snapshot \(name): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                "missing snapshot \(name); record it with SOP_RECORD_SNAPSHOTS=1 swift test --filter <suite>",
                sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
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

import Foundation
import Testing

/// Compares output with a golden file under `Snapshots/`. With `SOP_RECORD_SNAPSHOTS=1`
/// the file is rewritten and the test fails, so a recording is never silently accepted.
func assertSnapshot(
    _ actual: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["SOP_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        Issue.record(
            "recorded \(name); review the diff and run again without SOP_RECORD_SNAPSHOTS",
            sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record(
            "missing snapshot \(name): run SOP_RECORD_SNAPSHOTS=1 swift test --filter \(name)",
            sourceLocation: sourceLocation)
        return
    }
    #expect(
        actual == expected, "snapshot \(name) differs; re-record with SOP_RECORD_SNAPSHOTS=1 if the change is intended",
        sourceLocation: sourceLocation)
}

import Foundation
import SOPApp
import SOPCore
import SOPRender
import SOPStore

/// Writes each customer's page as Markdown (SOPRender's own generator, internal audience),
/// so `cmark` can render the same content as a reference for `sop site build`.
enum MarkdownExport {
    static func run(_ options: Options) throws {
        let path = try options.string("db")
        let out = URL(fileURLWithPath: try options.string("out"))
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let store = try Store.open(path: path)
        defer { store.close() }
        let adapter = StoreAdapter(store: store)
        let date = Date(timeIntervalSince1970: 1_790_000_000)
        let start = ContinuousClock.now
        var bytes = 0
        let rows = try adapter.portfolio()
        for row in rows {
            let report = try adapter.report(slug: row.slug)
            let context = HandoverContext(report: report, audience: .internal, date: date, preparedBy: "sop-bench")
            let markdown = HandoverMarkdown(context: context, heading: report.customer.name).render()
            bytes += markdown.utf8.count
            try Data(markdown.utf8).write(to: out.appendingPathComponent("\(row.slug).md"))
        }
        printJSONLine(["pages": rows.count, "bytes": bytes, "seconds": seconds(since: start), "out": out.path])
    }
}

import Foundation
import SOPRender

/// Verification history as an inline SVG: one stacked bar per run (pass, fail, error), oldest
/// on the left, placed by time so a quiet month reads as a gap. No script, no external asset.
enum RunChart {
    static let width = 720
    static let height = 220

    static func svg(_ runs: [VerificationRunView]) -> String {
        guard !runs.isEmpty else { return "<p class=\"muted\">No verification runs yet.</p>" }
        let runs = runs.sorted { $0.at < $1.at }.suffix(60)
        let left = 40
        let right = 12
        let top = 16
        let bottom = 36
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let largest = max(1, runs.map { $0.passed + $0.failed + $0.errors }.max() ?? 1)
        let first = runs.first!.at.timeIntervalSince1970
        let last = runs.last!.at.timeIntervalSince1970
        let span = max(1, last - first)
        let barWidth = max(4, min(28, plotWidth / max(1, runs.count) - 4))
        var out = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" role="img" \
            aria-label="Checks passed, failed and with errors per verification run">
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(width - right)" y2="\(top + plotHeight)" stroke="#5b6474"/>
            <text x="\(left - 6)" y="\(top + 4)" font-size="11" text-anchor="end" fill="#5b6474">\(largest)</text>
            <text x="\(left - 6)" y="\(top + plotHeight)" font-size="11" text-anchor="end" fill="#5b6474">0</text>

            """
        for (index, run) in runs.enumerated() {
            let fraction = runs.count == 1 ? 0.5 : (run.at.timeIntervalSince1970 - first) / span
            let x = left + Int(Double(plotWidth - barWidth) * fraction)
            var y = top + plotHeight
            let label = "\(Layout.time(run.at)): \(run.passed) passed, \(run.failed) failed, \(run.errors) errors"
            out += "<g class=\"run\" data-run=\"\(index)\"><title>\(Layout.h(label))</title>"
            for (count, colour, kind) in [
                (run.passed, "#1e7b46", "pass"), (run.failed, "#b3261e", "fail"), (run.errors, "#44546a", "error"),
            ]
            where count > 0 {
                let h = max(1, count * plotHeight / largest)
                y -= h
                out +=
                    "<rect class=\"\(kind)\" x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(colour)\"/>"
            }
            out += "</g>\n"
        }
        out += """
            <text x="\(left)" y="\(height - 18)" font-size="11" fill="#5b6474">\(Layout.h(Layout.day(runs.first!.at)))</text>
            <text x="\(width - right)" y="\(height - 18)" font-size="11" text-anchor="end" fill="#5b6474">\(Layout.h(Layout.day(runs.last!.at)))</text>
            <rect x="\(left)" y="\(height - 10)" width="10" height="8" fill="#1e7b46"/><text x="\(left + 14)" y="\(height - 2)" font-size="11">pass</text>
            <rect x="\(left + 60)" y="\(height - 10)" width="10" height="8" fill="#b3261e"/><text x="\(left + 74)" y="\(height - 2)" font-size="11">fail</text>
            <rect x="\(left + 120)" y="\(height - 10)" width="10" height="8" fill="#44546a"/><text x="\(left + 134)" y="\(height - 2)" font-size="11">error</text>
            </svg>
            """
        return out
    }
}

import Foundation

/// Plain-text tables and progress bars for the tracker commands.
enum TrackerTable {
    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], visibleWidth(cell))
            }
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1
                    ? cell : cell + String(repeating: " ", count: max(0, widths[index] - visibleWidth(cell)))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Characters a terminal shows: ANSI colour sequences take no room.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for ch in text {
            if inEscape {
                if ch == "m" { inEscape = false }
            } else if ch == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }

    /// `████░░░░` on a terminal, `[###-----]` otherwise.
    static func bar(_ done: Int, of total: Int, width: Int = 20, fancy: Bool) -> String {
        let filled = total == 0 ? width : min(width, Int((Double(done) / Double(total) * Double(width)).rounded(.down)))
        if fancy {
            return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        }
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    /// ANSI colour when enabled.
    static func color(_ text: String, _ code: String, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

extension Agenda {
    /// `sop agenda` on a terminal: a heading per group, one line per entry. With `color`,
    /// overdue entries are red (the CLI passes it only on a terminal without `NO_COLOR`).
    public func text(color: Bool = false) -> String {
        var lines: [String] = []
        var header = "Agenda \(today) to \(lastDay) (\(days) day\(days == 1 ? "" : "s"))"
        if let owner { header += " for \(owner)" }
        lines.append(header)
        if entries.isEmpty {
            lines.append("")
            lines.append("Nothing needs attention.")
            return lines.joined(separator: "\n")
        }
        for group in groups {
            lines.append("")
            lines.append(group.date.map { Self.dayHeading($0).uppercased() } ?? "OVERDUE")
            for entry in group.entries {
                let what = [entry.customer, entry.item].compactMap { $0 }.joined(separator: " ")
                var line = "  \(entry.kind.label): \(what)  \(Self.line(entry.title))"
                line += " — \(Self.line(entry.detail))"
                if color && entry.kind == .overdue { line = "\u{1B}[31m\(line)\u{1B}[0m" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// User text on one line (a reason typed with newlines stays one entry).
    static func line(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

import SOPRender

extension Agenda {
    /// `sop digest --markdown`: the agenda as a short post for chat or e-mail: a line saying
    /// what it covers, a heading per group, a bullet per entry. User text is Markdown-escaped,
    /// so a customer's name or a reason can never become a link or markup.
    public func markdown() -> String {
        var out = "**sop digest** \(today) to \(lastDay)"
        if let owner { out += " for \(MarkdownEscaper.inline(owner))" }
        let counts = Dictionary(grouping: entries, by: \.kind).mapValues(\.count)
        let summary = Kind.allCases.compactMap { kind in counts[kind].map(kind.counted) }
        out += ": " + (summary.isEmpty ? "nothing needs attention." : summary.joined(separator: ", ") + ".")
        out += "\n"
        for group in groups {
            out += "\n### \(group.date.map(Self.dayHeading) ?? "Overdue")\n\n"
            for entry in group.entries {
                let item = entry.item.map { " " + MarkdownEscaper.code($0) } ?? ""
                out +=
                    "- **\(entry.kind.label)** \(MarkdownEscaper.inline(entry.customer))\(item) "
                    + "\(MarkdownEscaper.inline(entry.title)) — \(MarkdownEscaper.inline(entry.detail))\n"
            }
        }
        return out
    }
}

/// Prepares a template's Markdown body for display as the SOP page.
///
/// The body is template-authored and rendered through ``SafeMarkdown`` like everything
/// else, which drops the `<!-- sop … -->` metadata comments. Before that, each item's id
/// is lifted out of its comment onto the item's own line as a code span (cmark has no
/// task lists, so `[ ]` would otherwise show literally), so readers can match the SOP to
/// `sop mark SLUG ITEM`.
public enum TemplatePageMarkdown {
    public static func prepare(_ body: String) -> String {
        var output: [String] = []
        var lastTaskLine: Int?
        var comment: [String]?
        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var open = comment {
                open.append(trimmed)
                if trimmed.contains("-->") {
                    attach(id(in: open), to: lastTaskLine, in: &output)
                    comment = nil
                } else {
                    comment = open
                }
                continue
            }
            if trimmed.hasPrefix("<!-- sop") {
                if trimmed.contains("-->") {
                    attach(id(in: [trimmed]), to: lastTaskLine, in: &output)
                } else {
                    comment = [trimmed]
                }
                continue
            }
            if let marker = taskMarker(line) {
                output.append(line.replacingCharacters(in: marker, with: ""))
                lastTaskLine = output.count - 1
                continue
            }
            output.append(line)
        }
        return output.joined(separator: "\n")
    }

    /// The range of `[ ] ` / `[x] ` right after a list bullet, if the line is a task item.
    static func taskMarker(_ line: String) -> Range<String.Index>? {
        let trimmed = line.drop { $0 == " " }
        guard let bullet = trimmed.first, bullet == "-" || bullet == "*" || bullet == "+" else { return nil }
        let afterBullet = trimmed.dropFirst()
        guard afterBullet.first == " " else { return nil }
        let rest = afterBullet.dropFirst()
        for marker in ["[ ] ", "[x] ", "[X] "] where rest.hasPrefix(marker) {
            let start = rest.startIndex
            return start..<line.index(start, offsetBy: marker.count)
        }
        return nil
    }

    static func id(in comment: [String]) -> String? {
        for line in comment {
            var text = line
            if text.hasPrefix("<!-- sop") { text = String(text.dropFirst("<!-- sop".count)) }
            text = text.replacingOccurrences(of: "-->", with: "").trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("id:") else { continue }
            let value = text.dropFirst(3).trimmingCharacters(in: .whitespaces)
            // Ids are `a-z0-9.-` by the template format; anything else is not shown.
            guard !value.isEmpty,
                value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") })
            else { return nil }
            return value
        }
        return nil
    }

    static func attach(_ id: String?, to index: Int?, in output: inout [String]) {
        guard let id, let index, index < output.count else { return }
        let line = output[index]
        let indent = line.prefix { $0 == " " }
        let rest = line.dropFirst(indent.count)
        guard rest.count >= 2 else { return }
        let bullet = rest.prefix(2)
        output[index] = "\(indent)\(bullet)`\(id)` \(rest.dropFirst(2))"
    }
}

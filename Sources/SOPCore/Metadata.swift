import Yams

/// The YAML inside a `<!-- sop … -->` comment, with the file position of every key.
struct Metadata {
    struct Key {
        var name: String
        var position: SourcePosition
    }

    var entries: [(Key, Node)]
    var position: SourcePosition

    static let itemKeys = [
        "id", "evidence", "signoff", "checks", "when", "owner", "depends", "replaces", "due", "valid_for",
    ]

    /// True for an HTML comment whose first word is `sop`.
    static func isMetadata(_ html: String) -> Bool {
        let trimmed = html.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("<!--") else { return false }
        let body = trimmed.dropFirst(4).drop { $0 == " " || $0 == "\t" }
        guard body.hasPrefix("sop") else { return false }
        let after = body.dropFirst(3).first
        return after == nil || after == ":" || after!.isWhitespace
    }

    /// Parses the comment's YAML. Positions: the comment starts at `origin`; YAML line N
    /// of the comment body is file line `origin.line + N - 1`.
    static func parse(_ html: String, at origin: SourcePosition, report: (SourcePosition, String) -> Void) -> Metadata?
    {
        var text = Substring(html.drop { $0.isWhitespace })
        text = text.dropFirst(4)  // "<!--"
        guard let close = text.range(of: "-->") else {
            report(origin, "metadata comment is not closed with '-->'")
            return nil
        }
        let trailing = text[close.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        if !trailing.isEmpty {
            report(origin, "unexpected text after the metadata comment: '\(trailing.prefix(40))'")
        }
        text = text[..<close.lowerBound]
        let leading = text.prefix { $0 == " " || $0 == "\t" }.count
        text = text.dropFirst(leading + 3)  // "sop"
        var firstLineShift = 4 + leading + 3
        if text.first == ":" {
            text = text.dropFirst()
            firstLineShift += 1
        }
        let yaml = String(text)
        let columnBase = origin.column - 1
        func position(_ node: Node) -> SourcePosition {
            guard let mark = node.mark else { return origin }
            let column = mark.line == 1 ? columnBase + firstLineShift + mark.column : columnBase + mark.column
            return SourcePosition(line: origin.line + mark.line - 1, column: column)
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                report(origin, "metadata comment is empty")
                return nil
            }
            node = composed
        } catch {
            let (where_, message) = YAMLProblem.describe(error, lineOffset: origin.line - 1, columnOffset: columnBase)
            report(where_, "metadata: \(message)")
            return nil
        }
        guard case .mapping(let mapping) = node else {
            report(position(node), "metadata must be 'key: value' lines")
            return nil
        }
        var entries: [(Key, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                report(position(key), "metadata keys must be plain words")
                continue
            }
            entries.append((Key(name: name, position: position(key)), value))
        }
        return Metadata(entries: entries, position: origin)
    }
}

import Foundation
import Yams

/// Reads a Markdown checklist template into a ``Template``.
///
/// The Markdown is parsed by cmark and the AST is walked: `##`/`###` headings are
/// sections, task-list items (`- [ ]`) are checklist items, and `<!-- sop … -->`
/// HTML comments carry the metadata cmark's safe renderer hides. Every problem is
/// collected with its `line:column`, so lint reports them all at once. No input
/// makes the parser trap: bytes are validated as UTF-8 first, and the AST walk is
/// iterative.
public struct TemplateParser {
    /// Check ids the catalog knows; nil skips that check (the catalog is a separate library).
    public var knownChecks: Set<String>?

    public init(knownChecks: Set<String>? = nil) {
        self.knownChecks = knownChecks
    }

    /// Parses and validates; throws ``TemplateErrors`` listing every problem.
    public func parse(data: Data, path: String) throws(TemplateErrors) -> Template {
        let (template, diagnostics) = check(data: data, path: path)
        guard let template, diagnostics.isEmpty else { throw TemplateErrors(diagnostics) }
        return template
    }

    public func parse(fileAt url: URL) throws(TemplateErrors) -> Template {
        if let problem = FileKind.problemReading(url.path, directoryNoun: "a template file") {
            throw TemplateErrors([Diagnostic(path: url.path, position: .start, message: problem)])
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TemplateErrors([
                Diagnostic(path: url.path, position: .start, message: "cannot read file: \(Self.reason(error))")
            ])
        }
        return try parse(data: data, path: url.path)
    }

    /// Parses and validates, returning whatever could be built and every problem found.
    public func check(data: Data, path: String) -> (Template?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func report(_ position: SourcePosition, _ message: String) {
            diagnostics.append(Diagnostic(path: path, position: position, message: message))
        }
        guard let decoded = Self.decodeUTF8(data, report: report) else { return (nil, diagnostics) }
        // Windows line endings: in Swift "\r\n" is one Character, so splitting at "\n" would see
        // none and the front matter would read as missing. Lines keep their numbers.
        let text = decoded.contains("\r\n") ? decoded.replacingOccurrences(of: "\r\n", with: "\n") : decoded
        if data.isEmpty || text.allSatisfy(\.isWhitespace) {
            report(.start, "file is empty (a template starts with YAML front matter between '---' lines)")
            return (nil, diagnostics)
        }
        guard let (yaml, body, offset) = FrontMatter.split(text) else {
            report(.start, "missing front matter: a template starts with a '---' line, YAML, and a closing '---' line")
            return (nil, diagnostics)
        }
        let front = FrontMatter.parse(yaml, lineOffset: 1, report: report)
        for key in ["id", "version", "title", "roles"] where front.positions[key] == nil {
            report(.start, "front matter is missing '\(key)'")
        }
        var walker = BodyWalker(lineOffset: offset, report: report)
        walker.walk(CommonMarkDocument(body))

        let template = Template(
            id: front.id ?? "", version: front.version ?? SemanticVersion(0, 0, 0), title: front.title ?? "",
            roles: front.roles, releaseNotes: front.releaseNotes, parameters: front.parameters,
            sections: walker.sections, items: walker.items, path: path, sha256: ContentHash.sha256Hex(data), body: body,
            subjectWords: front.subject)
        var validator = TemplateValidator(
            template: template, knownChecks: knownChecks,
            rolesDeclared: front.positions["roles"] != nil,
            textReferences: walker.parameterReferences, report: report)
        validator.validate()
        return (template, diagnostics)
    }

    /// Validates UTF-8 and rejects NUL bytes, reporting the first bad byte's position.
    static func decodeUTF8(_ data: Data, report: (SourcePosition, String) -> Void) -> String? {
        if let text = String(validating: data, as: UTF8.self) {
            if let nul = text.utf8.firstIndex(of: 0) {
                report(
                    position(of: text.utf8.distance(from: text.utf8.startIndex, to: nul), in: data),
                    "file contains a NUL byte (is it binary?)")
                return nil
            }
            return text
        }
        // Find the first invalid sequence by decoding scalar by scalar.
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var consumed = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
                offset = consumed
            case .emptyInput:
                break loop
            case .error:
                report(position(of: offset, in: data), "file is not valid UTF-8 (bad byte at offset \(offset))")
                return nil
            }
        }
        report(.start, "file is not valid UTF-8")
        return nil
    }

    /// Line and column (in bytes, 1-based) of a byte offset.
    static func position(of offset: Int, in data: Data) -> SourcePosition {
        var line = 1
        var column = 1
        for (index, byte) in data.enumerated() {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column)
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return ns.localizedDescription
    }
}

/// Walks the body AST top-level block by block, building sections and items.
struct BodyWalker {
    let lineOffset: Int
    let report: (SourcePosition, String) -> Void
    var sections: [Section] = []
    var items: [Item] = []
    /// `${name}` references found in item and section text, with where they were found.
    var parameterReferences: [(name: String, position: SourcePosition)] = []
    private var sawTitle = false
    /// True right after a heading, until another block: a `<!-- sop -->` there belongs to the section.
    private var headingAwaitingMetadata = false

    init(lineOffset: Int, report: @escaping (SourcePosition, String) -> Void) {
        self.lineOffset = lineOffset
        self.report = report
    }

    func position(_ node: CommonMarkNode) -> SourcePosition {
        SourcePosition(line: lineOffset + max(node.startLine, 1), column: max(node.startColumn, 1))
    }

    mutating func walk(_ document: CommonMarkDocument) {
        for block in document.document.children {
            let isMetadataComment = block.kind == .htmlBlock && Metadata.isMetadata(block.literal ?? "")
            defer { if !(block.kind == .heading) { headingAwaitingMetadata = false } }
            switch block.kind {
            case .heading:
                heading(block)
            case .list:
                list(block)
            case .htmlBlock where isMetadataComment:
                if headingAwaitingMetadata, !sections.isEmpty {
                    sectionMetadata(block)
                } else {
                    report(
                        position(block),
                        "metadata comment must directly follow a section heading or sit inside a checklist item")
                }
            case .paragraph, .blockQuote, .codeBlock, .htmlBlock, .thematicBreak:
                if block.kind == .paragraph { collectReferences(block.plainText, at: position(block)) }
                if !sections.isEmpty, block.kind != .htmlBlock {
                    sections[sections.count - 1].notes.append(block.plainText)
                }
            default:
                break
            }
        }
    }

    private mutating func heading(_ node: CommonMarkNode) {
        let text = node.plainText
        let level = node.headingLevel
        if level == 1 {
            if sawTitle { report(position(node), "only one '#' title heading is allowed; sections use '##' and '###'") }
            sawTitle = true
            return
        }
        guard let (number, title) = Self.splitNumber(text) else {
            report(
                position(node),
                "section heading must start with its number, e.g. '## 3. Secure the Root User' (found '\(text.prefix(60))')"
            )
            headingAwaitingMetadata = false
            return
        }
        if title.isEmpty {
            report(position(node), "section \(number) has no title")
        }
        if sections.contains(where: { $0.number == number }) {
            report(position(node), "section number \(number) is used twice")
        }
        sections.append(Section(number: number, title: title, level: level, position: position(node)))
        headingAwaitingMetadata = true
    }

    /// Splits `3.1. Enable MFA` into (`3.1`, `Enable MFA`); `A. Extras` gives (`A`, `Extras`).
    static func splitNumber(_ text: String) -> (String, String)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let token = trimmed.prefix { !$0.isWhitespace }
        var number = String(token)
        if number.hasSuffix(".") { number.removeLast() }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        for (index, part) in parts.enumerated() {
            let numeric = part.allSatisfy { $0.isASCII && $0.isNumber } && part.count <= 4
            let appendix = index == 0 && part.count == 1 && part.allSatisfy { $0.isASCII && $0.isUppercase }
            guard numeric || appendix else { return nil }
        }
        let title = trimmed.dropFirst(token.count).trimmingCharacters(in: .whitespaces)
        return (number, title)
    }

    private mutating func sectionMetadata(_ node: CommonMarkNode) {
        guard let metadata = Metadata.parse(node.literal ?? "", at: position(node), report: report) else { return }
        let index = sections.count - 1
        for (key, value) in metadata.entries {
            switch key.name {
            case "signoff":
                guard let roles = value.stringList else {
                    report(key.position, "signoff must be a list of roles")
                    continue
                }
                sections[index].signoff = roles
                sections[index].signoffPosition = key.position
            default:
                report(key.position, "unknown section metadata key '\(key.name)' (allowed: signoff)")
            }
        }
    }

    private mutating func list(_ node: CommonMarkNode) {
        for entry in node.children where entry.kind == .item {
            listItem(entry)
        }
    }

    private mutating func listItem(_ node: CommonMarkNode) {
        let children = node.children
        guard let paragraph = children.first, paragraph.kind == .paragraph else { return }
        let firstText = paragraph.firstChild?.kind == .text ? paragraph.firstChild?.literal ?? "" : ""
        guard let marker = Self.taskMarker(firstText) else {
            // A plain bullet (e.g. a reference list) is section prose, not a checklist item.
            if !sections.isEmpty { sections[sections.count - 1].notes.append(node.plainText) }
            return
        }
        var title = paragraph.plainText
        title = String(title.dropFirst(marker)).trimmingCharacters(in: .whitespaces)
        let where_ = position(node)
        guard let sectionIndex = sections.indices.last else {
            report(where_, "checklist item '\(title.prefix(40))' comes before any numbered section heading")
            return
        }
        var metadata: Metadata?
        var steps: [String] = []
        var metadataCount = 0
        // Metadata may be an HTML block in the item, or inline HTML at the end of its paragraph.
        for inline in paragraph.descendants(ofKind: .htmlInline) where Metadata.isMetadata(inline.literal ?? "") {
            metadataCount += 1
            metadata = Metadata.parse(inline.literal ?? "", at: position(paragraph), report: report)
        }
        for child in children.dropFirst() {
            switch child.kind {
            case .htmlBlock where Metadata.isMetadata(child.literal ?? ""):
                metadataCount += 1
                metadata = Metadata.parse(child.literal ?? "", at: position(child), report: report)
            case .list:
                for step in child.children where step.kind == .item {
                    let text = step.plainText
                    if let first = step.firstChild?.firstChild, first.kind == .text,
                        Self.taskMarker(first.literal ?? "") != nil
                    {
                        report(
                            position(step),
                            "nested checklist items are not supported; make '\(text.prefix(40))' a plain step or its own item"
                        )
                    }
                    steps.append(text)
                    collectReferences(text, at: position(step))
                }
            case .paragraph:
                steps.append(child.plainText)
                collectReferences(child.plainText, at: position(child))
            default:
                break
            }
        }
        collectReferences(title, at: where_)
        if metadataCount > 1 {
            report(where_, "item '\(title.prefix(40))' has \(metadataCount) metadata comments; use one")
        }
        guard let metadata else {
            report(where_, "checklist item '\(title.prefix(40))' has no '<!-- sop id: … -->' metadata comment")
            return
        }
        if title.isEmpty { report(where_, "checklist item has no title") }
        var item = Item(id: "", section: sections[sectionIndex].number, title: title, steps: steps, position: where_)
        apply(metadata, to: &item, itemPosition: where_)
        items.append(item)
    }

    /// Length of a leading `[ ]`/`[x]` task marker, or nil.
    static func taskMarker(_ text: String) -> Int? {
        for marker in ["[ ]", "[x]", "[X]"] where text.hasPrefix(marker) {
            let rest = text.dropFirst(marker.count)
            if rest.isEmpty || rest.first?.isWhitespace == true { return marker.count }
        }
        return nil
    }

    private mutating func apply(_ metadata: Metadata, to item: inout Item, itemPosition: SourcePosition) {
        var sawID = false
        for (key, value) in metadata.entries {
            item.metadataPositions[key.name] = key.position
            switch key.name {
            case "id":
                guard let id = value.scalarString else {
                    report(key.position, "id must be text")
                    continue
                }
                sawID = true
                item.id = id
                item.position = itemPosition
            case "evidence":
                guard let kinds = value.stringList else {
                    report(key.position, "evidence must be a list of note, file, link, check")
                    continue
                }
                for kind in kinds {
                    if let parsed = EvidenceKind(rawValue: kind) {
                        if !item.evidence.contains(parsed) { item.evidence.append(parsed) }
                    } else {
                        report(key.position, "unknown evidence kind '\(kind)' (use note, file, link or check)")
                    }
                }
            case "signoff", "checks", "depends", "replaces":
                guard let list = value.stringList else {
                    report(key.position, "\(key.name) must be a list")
                    continue
                }
                switch key.name {
                case "signoff": item.signoff = list
                case "checks": item.checks = list
                case "depends": item.depends = list
                default: item.replaces = list
                }
            case "owner":
                guard let owner = value.scalarString else {
                    report(key.position, "owner must be a role name")
                    continue
                }
                item.owner = owner
            case "due":
                guard let text = value.scalarString else {
                    report(key.position, "due must be a rule such as start+5wd, after ITEM +3d or customer-due-2wd")
                    continue
                }
                do {
                    item.due = try DueRule.parse(text)
                } catch {
                    report(key.position, "bad due rule: \(error.description)")
                }
            case "valid_for":
                guard let text = value.scalarString else {
                    report(key.position, "valid_for must be a period such as 365d, 12w, 6m or 1y")
                    continue
                }
                do {
                    item.validFor = try ValidityPeriod.parse(text)
                } catch {
                    report(key.position, error.description)
                }
            case "when":
                guard let text = value.scalarString else {
                    report(key.position, "when must be a condition such as 'compliance has hipaa'")
                    continue
                }
                do {
                    item.when = try Condition.parse(text)
                } catch {
                    report(key.position, "bad condition: \(error.description)")
                }
            default:
                report(
                    key.position,
                    "unknown item metadata key '\(key.name)' (allowed: \(Metadata.itemKeys.joined(separator: ", ")))")
            }
        }
        if !sawID { report(metadata.position, "item metadata has no 'id'") }
    }

    private mutating func collectReferences(_ text: String, at position: SourcePosition) {
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[start.upperBound..<end])
            parameterReferences.append((name, position))
            rest = rest[rest.index(after: end)...]
        }
    }
}

import Foundation

/// Finds templates on disk: folders laid out as `<dir>/<id>/<version>.md`.
///
/// Earlier search paths win, so `--templates DIR` can shadow a shipped version
/// (the file hash pinned per customer still tells the two apart).
public struct TemplateLibrary: Sendable {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var version: SemanticVersion
        public var url: URL
        public var reference: String { "\(id)@\(version)" }
    }

    public var searchPaths: [URL]
    public var knownChecks: Set<String>?

    public init(searchPaths: [URL], knownChecks: Set<String>? = nil) {
        self.searchPaths = searchPaths
        self.knownChecks = knownChecks
    }

    /// `explicit` folders, then `$SOP_TEMPLATES` (colon-separated), then the shipped `Templates/`
    /// (next to the executable's package, or in the working directory).
    public static func defaultSearchPaths(
        explicit: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [URL] {
        var paths = explicit.map { URL(fileURLWithPath: $0) }
        if let env = environment["SOP_TEMPLATES"] {
            paths += env.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        if let shipped = shippedTemplatesDirectory() { paths.append(shipped) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Templates")
        paths.append(cwd)
        var seen = Set<String>()
        return paths.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// The `Templates/` folder shipped with the executable: found by walking up from the
    /// binary (`.build/release/sop` → repository root), or installed under `share/sop`.
    static func shippedTemplatesDirectory() -> URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in [
                dir.appendingPathComponent("Templates"), dir.appendingPathComponent("share/sop/Templates"),
            ]
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("aws-account").path) {
                return candidate
            }
            if dir.path == "/" { break }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Every template version found, sorted by id then version.
    public func entries() -> [Entry] {
        var found: [String: Entry] = [:]
        let fm = FileManager.default
        for root in searchPaths {
            guard let ids = try? fm.contentsOfDirectory(atPath: root.path) else { continue }
            for id in ids.sorted() where Identifier.isTemplateID(id) {
                let folder = root.appendingPathComponent(id)
                guard let files = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
                for file in files where file.hasSuffix(".md") {
                    guard let version = SemanticVersion(String(file.dropLast(3))) else { continue }
                    let key = "\(id)@\(version)"
                    if found[key] == nil {
                        found[key] = Entry(id: id, version: version, url: folder.appendingPathComponent(file))
                    }
                }
            }
        }
        return found.values.sorted { ($0.id, $0.version) < ($1.id, $1.version) }
    }

    /// Resolves `id` (latest version) or `id@version` to a file.
    public func entry(for reference: String) throws(TemplateLibraryError) -> Entry {
        let parts = reference.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let id = String(parts[0])
        let versions = entries().filter { $0.id == id }
        guard !versions.isEmpty else {
            throw .notFound("no template '\(id)' (looked in \(searchPaths.map(\.path).joined(separator: ", ")))")
        }
        guard parts.count == 2 else {
            // Latest release; prereleases only when nothing else exists.
            return versions.last { $0.version.prerelease == nil } ?? versions[versions.count - 1]
        }
        guard let version = SemanticVersion(String(parts[1])) else {
            throw .badReference("'\(parts[1])' is not a version (expected e.g. \(id)@1.0.0)")
        }
        guard let match = versions.first(where: { $0.version == version }) else {
            throw .notFound(
                "no version \(version) of template '\(id)' (available: \(versions.map { $0.version.description }.joined(separator: ", ")))"
            )
        }
        return match
    }

    /// Loads and validates a template by reference.
    public func load(_ reference: String) throws -> Template {
        let entry = try entry(for: reference)
        let template = try TemplateParser(knownChecks: knownChecks).parse(fileAt: entry.url)
        guard template.id == entry.id, template.version == entry.version else {
            throw TemplateLibraryError.mismatch(
                "\(entry.url.path) declares \(template.reference) but its path says \(entry.reference)")
        }
        return template
    }
}

public enum TemplateLibraryError: Error, Sendable, CustomStringConvertible, Equatable {
    case notFound(String)
    case badReference(String)
    case mismatch(String)

    public var description: String {
        switch self {
        case .notFound(let m), .badReference(let m), .mismatch(let m): return m
        }
    }
}

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
        /// Files later in the search path with the same id and version but other bytes: the
        /// template is ambiguous and is refused until one is removed or renamed.
        public var shadowed: [URL] = []
        /// The SHA-256 its folder's `RELEASED.sha256` records for this version, when released.
        public var releasedSHA256: String?
        public var reference: String { "\(id)@\(version)" }

        /// Why this version may not be used (nil when it may): edited after its release, or
        /// shadowed by a different file.
        /// `sha256`: the file's hash when the caller has it already (a parsed template carries it),
        /// so the file is not read a second time.
        public func problem(sha256 known: String? = nil) -> String? {
            if let released = releasedSHA256 {
                var actual = known
                if actual == nil, FileKind.of(url.path) == .regular,
                    let data = FileManager.default.contents(atPath: url.path)
                {
                    actual = ContentHash.sha256Hex(data)
                }
                // An unreadable file has no hash here: the parser reports it.
                if let actual, actual != released {
                    return
                        "template \(reference) at \(url.path) was edited after its release (sha256 \(actual.prefix(12)) "
                        + "≠ released \(released.prefix(12))); a changed template needs a new version number"
                }
            }
            if let other = shadowed.first {
                return "\(reference) is defined twice with different content (\(url.path) and \(other.path)); "
                    + "remove or rename one"
            }
            return nil
        }
    }

    /// The versions a template folder records as released: `RELEASED.sha256` in the format of
    /// `sha256sum` (so `sha256sum -c RELEASED.sha256` checks them too), one `<sha256>  <version>.md`
    /// per line.
    static func releasedHashes(in folder: URL) -> [String: String] {
        let file = folder.appendingPathComponent("RELEASED.sha256")
        guard FileKind.of(file.path) == .regular, let text = try? String(contentsOf: file, encoding: .utf8) else {
            return [:]
        }
        var hashes: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].count == 64 else { continue }
            hashes[String(parts[1].drop { $0 == "*" })] = String(parts[0])
        }
        return hashes
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
                let released = Self.releasedHashes(in: folder)
                for file in files where file.hasSuffix(".md") {
                    guard let version = SemanticVersion(String(file.dropLast(3))) else { continue }
                    let key = "\(id)@\(version)"
                    let url = folder.appendingPathComponent(file)
                    if var first = found[key] {
                        // The same version again, later in the search path: fine when identical.
                        if !Self.sameBytes(first.url, url) {
                            first.shadowed.append(url)
                            found[key] = first
                        }
                    } else {
                        found[key] = Entry(id: id, version: version, url: url, releasedSHA256: released[file])
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

    static func sameBytes(_ a: URL, _ b: URL) -> Bool {
        guard FileKind.of(a.path) == .regular, FileKind.of(b.path) == .regular else { return false }
        return FileManager.default.contents(atPath: a.path) == FileManager.default.contents(atPath: b.path)
    }

    /// Loads and validates a template by reference; a shadowed or edited release is refused.
    public func load(_ reference: String) throws -> Template {
        let entry = try entry(for: reference)
        let template = try TemplateParser(knownChecks: knownChecks).parse(fileAt: entry.url)
        // The parsed template carries its file's hash: the release check reads nothing more.
        if let problem = entry.problem(sha256: template.sha256) { throw TemplateLibraryError.mismatch(problem) }
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

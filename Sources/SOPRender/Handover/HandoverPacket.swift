import Foundation
import SOPCore

/// Reads the bytes of stored evidence files (the tracker in the CLI, a dictionary in tests).
public protocol EvidenceFileSource: Sendable {
    /// The exact bytes whose SHA-256 is `sha256`; throws when they are missing or damaged.
    func data(for evidence: EvidenceRef) throws -> Data
}

/// Evidence bytes held in memory, keyed by SHA-256.
public struct InMemoryEvidence: EvidenceFileSource {
    public var blobs: [String: Data]
    public init(_ blobs: [String: Data] = [:]) { self.blobs = blobs }

    public func data(for evidence: EvidenceRef) throws -> Data {
        guard let data = blobs[evidence.sha256] else {
            throw RenderError("evidence \(evidence.id) (\(evidence.shortHash)) has no stored file")
        }
        return data
    }
}

/// Writes a handover packet: a pipeline of small steps into a temporary folder that is
/// moved into place whole.
///
/// Steps: plan evidence file names → export evidence (re-checking each hash) → render
/// `handover.md` → render `handover.html` → write `MANIFEST.sha256` → swap into place.
///
/// Destination policy: a missing or empty folder is fine; a folder that holds a previous
/// packet (it has `MANIFEST.sha256`) is replaced whole; any other non-empty folder is
/// refused unless `force` is set, so a typo in `--out` cannot wipe someone's documents.
public struct HandoverPacket: Sendable {
    public var report: CustomerReportView
    public var audience: Audience
    public var date: Date
    public var preparedBy: String

    public init(report: CustomerReportView, audience: Audience, date: Date, preparedBy: String) {
        self.report = report
        self.audience = audience
        self.date = date
        self.preparedBy = preparedBy
    }

    /// Files written, relative to the packet folder, in manifest order.
    public struct Result: Sendable {
        public var directory: URL
        public var files: [String]
    }

    public func write(to destination: URL, evidence source: EvidenceFileSource, force: Bool = false) throws -> Result {
        try Self.checkDestination(destination, force: force)
        let visible = report.visible(to: audience)
        let plan = Self.planEvidence(visible)
        let context = HandoverContext(
            report: visible, audience: audience, date: date, preparedBy: preparedBy,
            evidencePaths: plan.paths)
        let files = try DirectorySwap(destination: destination).run { folder -> [String] in
            let out = OutputFolder(root: folder)
            var written: [String: Data] = [:]
            for (path, evidence) in plan.exports {
                let data = try source.data(for: evidence)
                let actual = ContentHash.sha256Hex(data)
                guard actual == evidence.sha256.lowercased() else {
                    throw RenderError(
                        "evidence \(evidence.id) is damaged: stored bytes hash to \(actual.prefix(12)), expected \(evidence.shortHash)"
                    )
                }
                written[path] = data
            }
            written["handover.md"] = Data(HandoverMarkdown(context: context).render().utf8)
            written["handover.html"] = Data(HandoverHTML(context: context).render().utf8)
            for (path, data) in written { try out.write(path, data) }
            let manifest = Manifest(files: written)
            try out.write(Manifest.fileName, manifest.text)
            return manifest.paths + [Manifest.fileName]
        }
        return Result(directory: destination, files: files)
    }

    /// Evidence id → path inside the packet, for the files the report lists.
    public static func evidencePaths(_ report: CustomerReportView) -> [String: String] {
        planEvidence(report).paths
    }

    /// Where each file of evidence goes: `evidence/<sanitised name>`, unique case-insensitively,
    /// the same bytes under the same name exported once.
    static func planEvidence(_ report: CustomerReportView) -> (
        paths: [String: String], exports: [(String, EvidenceRef)]
    ) {
        var paths: [String: String] = [:]
        var exports: [(String, EvidenceRef)] = []
        var taken: Set<String> = []
        var byContent: [String: String] = [:]
        for item in report.items {
            for evidence in item.evidence where evidence.kind == .file {
                let name = FileNames.sanitize(evidence.fileName ?? "", fallback: "evidence-\(evidence.shortHash)")
                let key = evidence.sha256 + "/" + name.lowercased()
                if let existing = byContent[key] {
                    paths[evidence.id] = existing
                    continue
                }
                let unique = FileNames.unique(name, taken: taken)
                taken.insert(unique.lowercased())
                let path = "evidence/\(unique)"
                byContent[key] = path
                paths[evidence.id] = path
                exports.append((path, evidence))
            }
        }
        return (paths, exports)
    }

    static func checkDestination(_ destination: URL, force: Bool) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: destination.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw RenderError("\(destination.path) exists and is not a folder")
        }
        let contents = (try? fm.contentsOfDirectory(atPath: destination.path)) ?? []
        if contents.isEmpty || force || contents.contains(Manifest.fileName) { return }
        throw RenderError(
            "\(destination.path) is not empty and holds no previous packet (no \(Manifest.fileName)); choose another folder or pass --force to replace it"
        )
    }
}

/// `MANIFEST.sha256` in the format `sha256sum -c` reads: `<hex>  <relative path>` per line,
/// sorted by path.
struct Manifest {
    static let fileName = "MANIFEST.sha256"
    var files: [String: Data]

    var paths: [String] { files.keys.sorted() }

    var text: String {
        paths.map { path in
            let digest = ContentHash.sha256Hex(files[path] ?? Data())
            return "\(digest)  \(path)\n"
        }.joined()
    }
}

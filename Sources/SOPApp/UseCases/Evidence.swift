import Foundation
import SOPCore
import SOPStore

/// What `sop evidence add` attaches: exactly one of a note, a file (by path) or a link.
public enum EvidenceInput: Sendable {
    case note(String)
    case file(path: String)
    case link(String)
    /// Bytes a browser uploaded, with the file name it gave (only its last component is kept).
    case upload(name: String, data: Data)
}

/// Evidence bytes written out by ``SOPApplication/exportEvidence(slug:evidence:to:)``.
public struct ExportedEvidence: Sendable {
    public var evidence: EvidenceInfo
    public var bytes: Int
}

extension SOPApplication {
    /// `sop evidence add`: scans for secrets, stores files inside the tracker by SHA-256.
    public func addEvidence(
        slug: String, item: String, input: EvidenceInput, by: String?, expires: String?,
        internal: Bool
    ) throws -> EvidenceInfo {
        let actor = try context.actor(by)
        return try Tracker.with(context) { store in
            let content: EvidenceContent
            switch input {
            case .note(let note): content = .note(note)
            case .link(let link): content = .link(link)
            case .file(let path): content = try EvidenceFile.load(path: path, maxBytes: store.maxEvidenceBytes)
            case .upload(let name, let data):
                let base = EvidenceUpload.fileName(name)
                guard data.count <= store.maxEvidenceBytes else {
                    throw AppError.badInput(
                        "\(base): \(ByteCount.format(data.count)) is larger than the evidence limit of "
                            + "\(ByteCount.format(store.maxEvidenceBytes))")
                }
                content = .file(name: base, data: data)
            }
            return try store.addEvidence(
                customer: slug, item: item, content: content, by: actor, expires: expires,
                internal: `internal`)
        }
    }

    /// `sop evidence list`: a customer's evidence, retracted rows included (marked).
    public func evidence(slug: String, item: String?) throws -> [EvidenceInfo] {
        try Tracker.with(context) { try $0.evidence(customer: slug, item: item) }
    }

    /// `sop evidence get`: the exact bytes of one piece of evidence (their hash re-checked),
    /// written atomically to `path`. An existing file is replaced only with `force`; a link, a
    /// FIFO or a device is never written to.
    public func exportEvidence(slug: String, evidence: String, to path: String, force: Bool = false) throws
        -> ExportedEvidence
    {
        if let problem = OutputFile.problemWriting(path, force: force) {
            throw AppError.badInput("\(path): \(problem)")
        }
        let (info, data) = try Tracker.with(context) { try $0.evidenceContent(customer: slug, evidence: evidence) }
        do {
            // Atomic: a temporary file in the same folder, renamed into place.
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw AppError.badInput("cannot write \(path)")
        }
        return ExportedEvidence(evidence: info, bytes: data.count)
    }

    /// `sop evidence retract`: marks evidence retracted (it is kept).
    public func retractEvidence(slug: String, evidence: String, reason: String, by: String?) throws -> EvidenceInfo {
        let actor = try context.actor(by)
        return try Tracker.with(context) {
            try $0.retractEvidence(customer: slug, evidence: evidence, reason: reason, by: actor)
        }
    }
}

/// The name an uploaded file is stored under.
enum EvidenceUpload {
    /// The last component of what the browser sent (some send a whole Windows path), without
    /// control characters; `upload` when nothing is left.
    static func fileName(_ raw: String) -> String {
        let last = raw.replacingOccurrences(of: "\\", with: "/").split(separator: "/").last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
            .trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "upload" : String(cleaned.prefix(200))
    }
}

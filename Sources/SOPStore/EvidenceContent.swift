import Foundation
import SOPCore

/// What a user attaches to an item.
public enum EvidenceContent: Sendable, Equatable {
    case note(String)
    case link(String)
    case file(name: String, data: Data)

    public var kind: String {
        switch self {
        case .note: return "note"
        case .link: return "link"
        case .file: return "file"
        }
    }
}

/// Reads a file given as evidence, turning every way it can be unusable into one line.
public enum EvidenceFile {
    /// Loads `path`; missing, unreadable, directory or larger than `maxBytes` → `.badInput`.
    public static func load(path: String, maxBytes: Int = Store.defaultMaxEvidenceBytes) throws(StoreError)
        -> EvidenceContent
    {
        let manager = FileManager.default
        if let problem = FileKind.problemReading(path) { throw .badInput("\(path): \(problem)") }
        let size = (try? manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size > maxBytes { throw tooLarge(path: path, size: size, maxBytes: maxBytes) }
        guard manager.isReadableFile(atPath: path),
            let handle = FileHandle(forReadingAtPath: path)
        else { throw .badInput("\(path): cannot be read (permission denied?)") }
        defer { try? handle.close() }
        // Read at most one byte past the cap, so a file that grows while we read is still refused.
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw .badInput("\(path): cannot be read")
        }
        if data.count > maxBytes { throw tooLarge(path: path, size: data.count, maxBytes: maxBytes) }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return .file(name: name, data: data)
    }

    static func tooLarge(path: String, size: Int, maxBytes: Int) -> StoreError {
        .badInput(
            "\(path): \(ByteCount.format(size)) is larger than the evidence limit of \(ByteCount.format(maxBytes)) "
                + "(set SOP_MAX_EVIDENCE_BYTES to change it)")
    }
}

/// Human-readable byte counts (`25 MB`, `812 KB`).
public enum ByteCount {
    public static func format(_ bytes: Int) -> String {
        if bytes >= 1024 * 1024 {
            let mb = Double(bytes) / 1_048_576
            return mb == mb.rounded() ? "\(Int(mb)) MB" : String(format: "%.1f MB", mb)
        }
        if bytes >= 1024 { return "\(bytes / 1024) KB" }
        return "\(bytes) bytes"
    }
}

/// Media types from file extensions: enough for packets and browsers to show files sensibly.
public enum MediaType {
    static let byExtension: [String: String] = [
        "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif", "svg": "image/svg+xml", "webp": "image/webp", "txt": "text/plain",
        "md": "text/markdown", "csv": "text/csv", "json": "application/json", "yaml": "application/yaml",
        "yml": "application/yaml", "xml": "application/xml", "html": "text/html", "htm": "text/html",
        "log": "text/plain", "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "doc": "application/msword", "xls": "application/vnd.ms-excel", "eml": "message/rfc822",
    ]

    public static func forFileName(_ name: String) -> String {
        let ext = URL(fileURLWithPath: name).pathExtension.lowercased()
        return byExtension[ext] ?? "application/octet-stream"
    }

    /// True when the bytes look like text (valid UTF-8, no NUL in the first 8 KB): such files are scanned for secrets.
    public static func looksLikeText(_ data: Data) -> Bool {
        let head = data.prefix(8192)
        if head.contains(0) { return false }
        return String(data: data, encoding: .utf8) != nil
    }
}

import Foundation

/// Builds a directory beside its destination and moves it into place whole.
///
/// Readers see the old directory or the new one, never a half-written one: the build
/// happens in `.NAME.tmp-XXXX` in the same parent (same file system, so the final
/// renames are atomic), the old directory is renamed aside, the new one renamed in,
/// and the old one removed. A failure while building removes the temporary folder and
/// leaves the destination untouched.
public struct DirectorySwap: Sendable {
    public var destination: URL

    public init(destination: URL) {
        self.destination = destination.standardizedFileURL
    }

    /// Runs `build` with an empty temporary directory, then swaps it into place.
    public func run<T>(_ build: (URL) throws -> T) throws -> T {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw RenderError("cannot create \(parent.path): \(error.localizedDescription)")
        }
        let token = UUID().uuidString.prefix(8)
        let name = destination.lastPathComponent
        let temporary = parent.appendingPathComponent(".\(name).tmp-\(token)")
        let old = parent.appendingPathComponent(".\(name).old-\(token)")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw RenderError("cannot write in \(parent.path): \(error.localizedDescription)")
        }
        let result: T
        do {
            result = try build(temporary)
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
                try fm.moveItem(at: destination, to: old)
                do {
                    try fm.moveItem(at: temporary, to: destination)
                } catch {
                    try? fm.moveItem(at: old, to: destination)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: temporary, to: destination)
            }
        } catch {
            try? fm.removeItem(at: temporary)
            if let error = error as? RenderError { throw error }
            throw RenderError("cannot write \(destination.path): \(error.localizedDescription)")
        }
        return result
    }
}

/// Writes files below a root, creating folders as needed.
///
/// Plain `open`/`write`/`close`: `Data.write(to:)` in swift-foundation fsyncs every file,
/// which made a 1,000-customer site build wait on a thousand disk flushes. Sites and
/// packets are outputs rebuilt from the tracker at will (the tracker itself is durable),
/// so they are not flushed; the swap still shows readers a whole folder or the old one.
struct OutputFolder: Sendable {
    var root: URL

    func write(_ relativePath: String, _ text: String) throws {
        var text = text
        try text.withUTF8 { try write(relativePath, UnsafeRawBufferPointer($0)) }
    }

    func write(_ relativePath: String, _ data: Data) throws {
        try data.withUnsafeBytes { try write(relativePath, $0) }
    }

    private func write(_ relativePath: String, _ bytes: UnsafeRawBufferPointer) throws {
        let url = root.appendingPathComponent(relativePath)
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var fd = open(url.path, flags, 0o644)
        if fd < 0 && errno == ENOENT {
            // The folder is created on first use, not checked before every file.
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            fd = open(url.path, flags, 0o644)
        }
        guard fd >= 0 else { throw RenderError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw RenderError("cannot write \(url.path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}

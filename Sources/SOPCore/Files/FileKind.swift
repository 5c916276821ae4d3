import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a path names, asked with `stat(2)` before anything opens it.
///
/// Opening a FIFO for reading blocks until a writer appears, and a device can be read forever:
/// every input `sop` reads (evidence files, backups to restore, templates to lint) is checked
/// to be a regular file first, so such a path gets one line instead of a hang. Symbolic links
/// are followed (a link to a regular file is a regular file).
public enum FileKind: Equatable, Sendable {
    case missing
    case regular
    case directory
    /// A FIFO, a device, a socket: named as people say it ("a FIFO").
    case special(String)

    public static func of(_ path: String) -> FileKind {
        var info = stat()
        guard !path.isEmpty, stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFIFO: return .special("a FIFO")
        case S_IFCHR: return .special("a character device")
        case S_IFBLK: return .special("a block device")
        case S_IFSOCK: return .special("a socket")
        default: return .special("not a regular file")
        }
    }

    /// Why `path` cannot be read as a file (nil when it is a regular file), as the end of a
    /// one-line message: `no such file`, `is a directory, not a file`, `is a FIFO, not a regular
    /// file (nothing was read from it)`.
    public static func problemReading(_ path: String, directoryNoun: String = "a file") -> String? {
        switch of(path) {
        case .regular: return nil
        case .missing: return "no such file"
        case .directory: return "is a directory, not \(directoryNoun)"
        case .special(let what): return "is \(what), not a regular file (nothing was read from it)"
        }
    }
}

/// The rules for a file `sop` writes: never over an existing file without `force`, never
/// through a symbolic link, never into a FIFO, a device or a socket (even with `force`: those
/// are not files a user asked to replace).
public enum OutputFile {
    /// Why `path` may not be written (nil when it may), as the end of a one-line message.
    public static func problemWriting(_ path: String, force: Bool) -> String? {
        guard !path.isEmpty else { return "an empty path" }
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }  // nothing there: a new file
        switch info.st_mode & S_IFMT {
        case S_IFREG: return force ? nil : "exists; add --force to replace it"
        case S_IFLNK: return "is a symbolic link; sop does not write through links"
        case S_IFDIR: return "is a directory"
        default:
            if case .special(let what) = FileKind.of(path) { return "is \(what); sop writes regular files only" }
            return "is not a regular file; sop writes regular files only"
        }
    }

    /// True when `path` is `folder` itself or lies inside it (after resolving links), for the
    /// rule that replacing an output folder never deletes the tracker.
    public static func isInside(_ path: String, folder: String) -> Bool {
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let dir = URL(fileURLWithPath: folder).resolvingSymlinksInPath().standardizedFileURL.path
        return file == dir || file.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }
}

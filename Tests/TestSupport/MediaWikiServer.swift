import Foundation

/// A real MediaWiki 1.39 on loopback for the publishing tests.
///
/// Runs `Tests/Harness/mediawiki.sh start DIR PORT`, which installs the Debian packages
/// when they are missing, runs install.php with SQLite into a temporary folder, creates
/// the bot password `Admin@ci` and serves with `php -S` in its own session. `stop()` ends
/// every process of that session. Starting throws (so the test FAILS, never skips) when
/// the wiki cannot be started.
public final class MediaWikiServer: @unchecked Sendable {
    public let apiURL: URL
    public let user: String
    /// The bot password, read from the file the harness wrote (never printed).
    public let password: String
    public let directory: URL
    private var stopped = false

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public init() throws {
        let script = Paths.repositoryRoot.appendingPathComponent("Tests/Harness/mediawiki.sh")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-mediawiki-\(UUID().uuidString.prefix(8))")
        var lastError = ""
        for _ in 0..<3 {
            let port = try Self.freePort()
            let result = try runProcess(
                URL(fileURLWithPath: "/bin/bash"), [script.path, "start", directory.path, String(port)])
            let lines = result.stdout.split(separator: "\n").map(String.init)
            if result.status == 0, lines.count >= 3, let url = URL(string: lines[0]),
                let password = try? String(contentsOfFile: lines[2], encoding: .utf8)
            {
                self.apiURL = url
                self.user = lines[1]
                self.password = password
                self.directory = directory
                return
            }
            lastError = "exit \(result.status): \(result.stderr.suffix(600))"
            _ = try? runProcess(URL(fileURLWithPath: "/bin/bash"), [script.path, "stop", directory.path])
            try? FileManager.default.removeItem(at: directory)
        }
        throw StartError(description: "MediaWiki could not be started: \(lastError)")
    }

    /// Stops every process of the server's session and removes its folder.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        let script = Paths.repositoryRoot.appendingPathComponent("Tests/Harness/mediawiki.sh")
        _ = try? runProcess(URL(fileURLWithPath: "/bin/bash"), [script.path, "stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// A TCP port that was free a moment ago (bound to port 0, then released).
    public static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw StartError(description: "getsockname() failed") }
        return UInt16(bigEndian: address.sin_port)
    }
}

import Foundation

/// A real, throwaway PostgreSQL server for tests: a fresh cluster in a temporary folder, on a free
/// loopback port, with real password (SCRAM) authentication and, when asked, TLS.
///
/// ```swift
/// let server = try PostgresServer.start()        // initdb + postgres, waits for pg_isready
/// let db = try server.createDatabase()
/// try server.psql("create table t (x int)", database: db)
/// let url = server.uri(database: db)             // postgresql://sop_admin:…@127.0.0.1:PORT/db
/// server.stop()                                  // also on deinit
/// ```
///
/// - PostgreSQL refuses to run as root, so under root the cluster belongs to `nobody` and the
///   server programs run through `runuser`; otherwise they run as the caller. The temporary
///   folder must therefore be reachable by `nobody` (it is under `/tmp`).
/// - The postmaster runs as a child process, not daemonised by `pg_ctl start`: Foundation learns
///   that a child exited when a socket it hands the child closes, and a daemon that inherits that
///   socket would keep every `runProcess("pg_ctl", "start")` waiting until the server stopped.
/// - A suite-wide `static` server is never deinitialised, so every live server is also stopped
///   when the test process exits normally (`atexit`). An exit that skips `atexit` (a crash, a
///   signal) is covered by a watchdog shell, which stops the postmaster and removes the folder
///   within a second of the test process ending.
/// - A missing PostgreSQL is an error (`PostgresServer.Failure`), never a skipped test.
public final class PostgresServer: @unchecked Sendable {
    /// Why the server could not do what was asked (with the output that says why).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public let host = "127.0.0.1"
    public let port: Int
    public let adminUser = "sop_admin"
    public let adminPassword: String
    /// The PEM of the CA that signed the server's certificate (`sslrootcert`); nil without TLS.
    public let caCertificate: String?

    private let directory: TemporaryDirectory
    private let cluster: Cluster
    private let watchdog: Process
    private let lock = NSLock()
    /// The running postmaster (`runuser` under root); nil while stopped.
    private var postmaster: Process?
    private var stopped = false

    /// Starts a fresh cluster; `tls: true` also creates a CA and a server certificate for
    /// 127.0.0.1/localhost, and turns `ssl` on.
    public static func start(tls: Bool = false) throws -> PostgresServer {
        try PostgresServer(tls: tls)
    }

    private init(tls: Bool) throws {
        let directory = TemporaryDirectory("sop-pg")
        let cluster = Cluster(folder: directory.url, bin: try Cluster.binDirectory())
        let password = Self.randomToken(32)
        let caCertificate = tls ? try Self.makeCertificates(in: directory.url) : nil
        try cluster.create(adminUser: adminUser, password: password, tls: tls)

        var port = 0
        var postmaster: Process?
        var failure: Error?
        for _ in 0..<3 {  // a port picked as free can be taken before the server binds it
            port = try MotoServer.freePort()
            do {
                postmaster = try cluster.start(port: port)
                break
            } catch {
                failure = error
                guard "\(error)".contains("Address already in use") else { break }
            }
        }
        guard let postmaster else { throw failure ?? Failure("postgres did not start") }

        self.directory = directory
        self.cluster = cluster
        self.port = port
        self.adminPassword = password
        self.caCertificate = caCertificate
        self.postmaster = postmaster
        do {
            watchdog = try Self.startWatchdog(folder: directory.url)
        } catch {
            cluster.stop(postmaster, mode: "immediate")
            throw error
        }
        LiveServers.shared.add(self)
    }

    deinit { stop() }

    /// A URI for `database` as `user` (default the admin). The password defaults to the admin's
    /// when the user is the admin, and is left out for any other user unless given.
    public func uri(
        database: String, user: String? = nil, password: String? = nil, parameters: [String: String] = [:]
    ) -> String {
        let user = user ?? adminUser
        var credentials = Self.percentEncoded(user)
        if let password = password ?? (user == adminUser ? adminPassword : nil) {
            credentials += ":" + Self.percentEncoded(password)
        }
        var text = "postgresql://\(credentials)@\(host):\(port)/\(Self.percentEncoded(database))"
        if !parameters.isEmpty {
            text +=
                "?"
                + parameters.sorted { $0.key < $1.key }
                .map { "\(Self.percentEncoded($0.key))=\(Self.percentEncoded($0.value))" }
                .joined(separator: "&")
        }
        return text
    }

    /// Creates an empty database owned by the admin (a unique name if nil) and returns its name.
    @discardableResult
    public func createDatabase(_ name: String? = nil) throws -> String {
        let name = name ?? "sop_\(Self.randomToken(12))"
        try psql("CREATE DATABASE \(Self.identifier(name))")
        return name
    }

    /// Runs SQL as the admin through psql and returns its unaligned, tuples-only output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let conninfo = "host=\(host) port=\(port) user=\(adminUser) dbname=\(Self.conninfoValue(database))"
        return try psql(sql, conninfo: conninfo, password: adminPassword)
    }

    /// Runs SQL through psql against any conninfo string or URI (TLS options, other roles).
    ///
    /// The SQL goes on stdin and the password in `PGPASSWORD`, so neither shows in the process
    /// list; the developer's `~/.pgpass` and `~/.psqlrc` are not read, and psql never prompts.
    @discardableResult
    public func psql(_ sql: String, conninfo: String, password: String?) throws -> String {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C",
            "PGCONNECT_TIMEOUT": "10", "PGPASSFILE": directory.path("none.pgpass").path,
        ]
        environment["PGPASSWORD"] = password
        let result = try runProcess(
            cluster.tool("psql"), ["-X", "-w", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-f", "-", "-d", conninfo],
            environment: environment, input: Data(sql.utf8))
        guard result.status == 0 else {
            throw Failure("psql failed (status \(result.status)): \(result.stderr.suffix(1500))")
        }
        var output = result.stdout
        while output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// Creates a login role with a password (for least-privilege and wrong-password tests).
    public func createRole(_ name: String, password: String) throws {
        try psql("CREATE ROLE \(Self.identifier(name)) LOGIN PASSWORD \(Self.literal(password))")
    }

    /// Kills the server as a crash would (`pg_ctl stop -m immediate`): `restart()` then runs
    /// crash recovery on the same data.
    public func stopImmediately() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, let running = postmaster else { throw Failure("the server is not running") }
        cluster.stop(running, mode: "immediate")
        postmaster = nil
    }

    /// Starts the server again on the same port and data.
    public func restart() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, postmaster == nil else { throw Failure("the server is running or was stopped for good") }
        postmaster = try cluster.start(port: port)
    }

    /// Stops the server (fast shutdown) and removes its folder; idempotent, also called from deinit.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if let postmaster { cluster.stop(postmaster, mode: "fast") }
        postmaster = nil
        kill(watchdog.processIdentifier, SIGKILL)
        watchdog.waitUntilExit()
        try? FileManager.default.removeItem(at: directory.url)
        LiveServers.shared.remove(self)
    }

    // MARK: - Helpers

    /// Stops the postmaster and removes `folder` once the test process (`$1`) is gone. It ignores
    /// the terminal's signals, so a Ctrl-C that ends the tests does not end it first.
    private static let watchdogScript = """
        trap '' HUP INT TERM
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        pid=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null)
        if [ -n "$pid" ]; then
            kill -QUIT "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        fi
        rm -rf "$2"
        """

    private static func startWatchdog(folder: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", watchdogScript, "pg-watchdog", String(ProcessInfo.processInfo.processIdentifier), folder.path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A CA and a server certificate it signed for `localhost` and `127.0.0.1`, so that clients can
    /// use `sslmode=verify-full`. Returns the CA's PEM path.
    private static func makeCertificates(in folder: URL) throws -> String {
        guard let openssl = MotoServer.findExecutable("openssl") else { throw Failure("openssl not found on PATH") }
        let ca = folder.appendingPathComponent("ca.pem").path
        let caKey = folder.appendingPathComponent("ca.key").path
        let request = [
            "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        ]
        let steps = [
            request + [
                "-subj", "/CN=sop test CA", "-keyout", caKey, "-out", ca,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            request + [
                "-subj", "/CN=localhost", "-keyout", folder.appendingPathComponent(Cluster.serverKey).path,
                "-out", folder.appendingPathComponent(Cluster.serverCertificate).path, "-CA", ca, "-CAkey", caKey,
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE",
            ],
        ]
        for arguments in steps {
            let result = try runProcess(openssl, arguments)
            guard result.status == 0 else { throw Failure("openssl failed: \(result.stderr.suffix(1500))") }
        }
        return ca
    }

    private static func randomToken(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }

    /// RFC 3986 unreserved characters stay; everything else is percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func conninfoValue(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

/// The cluster's folder and the server programs that act on it: initdb, postgres, pg_ctl, pg_isready.
///
/// Layout: `data/` (the cluster), the unix socket, `server.log`, and with TLS the certificates.
private struct Cluster {
    static let serverKey = "server.key"
    static let serverCertificate = "server.crt"

    let folder: URL
    let bin: URL

    var data: URL { folder.appendingPathComponent("data") }
    var logFile: URL { folder.appendingPathComponent("server.log") }

    /// Debian keeps the server programs out of PATH, in /usr/lib/postgresql/<major>/bin (the newest
    /// is taken); elsewhere, as with Homebrew, they are on PATH.
    static func binDirectory() throws -> URL {
        let debian = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []).compactMap { Int($0) }
        for major in majors.sorted(by: >) where FileManager.default.fileExists(atPath: "\(debian)/\(major)/bin/initdb")
        {
            return URL(fileURLWithPath: "\(debian)/\(major)/bin")
        }
        if let initdb = MotoServer.findExecutable("initdb") { return initdb.deletingLastPathComponent() }
        throw PostgresServer.Failure("PostgreSQL not found: install postgresql (initdb, pg_ctl) and postgresql-client")
    }

    func tool(_ name: String) -> URL { bin.appendingPathComponent(name) }

    /// Runs `initdb` with SCRAM authentication for the admin, then appends the test settings.
    func create(adminUser: String, password: String, tls: Bool) throws {
        let passwordFile = folder.appendingPathComponent("admin.pw")
        guard
            FileManager.default.createFile(
                atPath: passwordFile.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        else { throw PostgresServer.Failure("cannot write \(passwordFile.path)") }
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        if getuid() == 0 {
            if tls {  // the server accepts a key only when its owner alone may read it
                try FileManager.default.setAttributes(
                    [.posixPermissions: 0o600], ofItemAtPath: folder.appendingPathComponent(Self.serverKey).path)
            }
            let chown = try runProcess(URL(fileURLWithPath: "/bin/chown"), ["-R", "nobody:", folder.path])
            guard chown.status == 0 else { throw PostgresServer.Failure("chown failed: \(chown.stderr)") }
        }
        try run(
            "initdb",
            [
                "-D", data.path, "--auth=scram-sha-256", "--username=\(adminUser)", "--pwfile=\(passwordFile.path)",
                "--encoding=UTF8", "--no-locale", "--no-sync",
            ])
        // fsync off: a test cluster never has to survive a power cut, only a crash of the server
        // process, which the page cache survives. synchronous_commit stays on: off, a commit
        // acknowledged just before `stopImmediately()` is lost with the WAL writer's buffer.
        var settings = """

            listen_addresses = '127.0.0.1'
            unix_socket_directories = '\(folder.path)'
            fsync = off

            """
        if tls {
            settings += """
                ssl = on
                ssl_cert_file = '\(folder.appendingPathComponent(Self.serverCertificate).path)'
                ssl_key_file = '\(folder.appendingPathComponent(Self.serverKey).path)'

                """
        }
        let configuration = try FileHandle(forWritingTo: data.appendingPathComponent("postgresql.conf"))
        defer { try? configuration.close() }
        try configuration.seekToEnd()
        try configuration.write(contentsOf: Data(settings.utf8))
    }

    /// Starts the postmaster on `port` and waits, at most 30 s, until `pg_isready` says it accepts
    /// connections. It asks through the socket in `folder`, which only this server can answer
    /// (another server may have taken the TCP port); listening on the socket implies it also
    /// bound the port, since a server that cannot is fatal at start-up.
    func start(port: Int) throws -> Process {
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        try log.seekToEnd()
        let (executable, arguments) = invocation("postgres", ["-D", data.path, "-p", String(port)])
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()

        let deadline = Date().addingTimeInterval(30)
        while true {
            let ready = try runProcess(tool("pg_isready"), ["-q", "-h", folder.path, "-p", String(port), "-t", "2"])
            if ready.status == 0 { return process }
            guard process.isRunning else {
                throw PostgresServer.Failure("postgres exited during start-up\nserver log:\n\(logTail())")
            }
            guard Date() < deadline else {
                stop(process, mode: "immediate")
                throw PostgresServer.Failure("postgres not ready within 30 s\nserver log:\n\(logTail())")
            }
            usleep(100_000)
        }
    }

    /// `pg_ctl stop` in `mode` (`fast` or `immediate`), then waits for the postmaster to exit. A
    /// server that did not stop is killed: the next start needs its port and data.
    func stop(_ postmaster: Process, mode: String) {
        let (executable, arguments) = invocation("pg_ctl", ["stop", "-D", data.path, "-m", mode, "-w", "-t", "30"])
        let stopped = (try? runProcess(executable, arguments, environment: Self.environment, currentDirectory: folder))
        if stopped?.status != 0 {
            let pidFile = try? String(contentsOf: data.appendingPathComponent("postmaster.pid"), encoding: .utf8)
            if let pid = pidFile?.split(separator: "\n").first.flatMap({ Int32($0) }), pid > 1 { kill(pid, SIGKILL) }
            kill(postmaster.processIdentifier, SIGKILL)
        }
        postmaster.waitUntilExit()
    }

    /// English messages, and none of the caller's PG* settings.
    private static let environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C"]

    /// How to run a server program as the cluster's owner: `nobody` under root, otherwise the caller.
    private func invocation(_ name: String, _ arguments: [String]) -> (URL, [String]) {
        guard getuid() == 0 else { return (tool(name), arguments) }
        return (URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "nobody", "--", tool(name).path] + arguments)
    }

    private func run(_ name: String, _ arguments: [String]) throws {
        let (executable, arguments) = invocation(name, arguments)
        let result = try runProcess(executable, arguments, environment: Self.environment, currentDirectory: folder)
        guard result.status == 0 else {
            throw PostgresServer.Failure("\(name) failed (status \(result.status)): \(result.stderr.suffix(1500))")
        }
    }

    /// The server log's last lines, for failure messages.
    private func logTail() -> String {
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? "(no log)"
        return log.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
    }
}

/// The servers not stopped yet, for the `atexit` hook that stops them when the process exits.
private final class LiveServers: @unchecked Sendable {
    static let shared = LiveServers()

    private struct Entry { weak var server: PostgresServer? }
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]

    private init() {
        atexit { LiveServers.shared.stopAll() }
    }

    func add(_ server: PostgresServer) {
        lock.lock()
        defer { lock.unlock() }
        entries[ObjectIdentifier(server)] = Entry(server: server)
    }

    func remove(_ server: PostgresServer) {
        lock.lock()
        defer { lock.unlock() }
        entries[ObjectIdentifier(server)] = nil
    }

    private func stopAll() {
        lock.lock()
        let servers = entries.values.compactMap(\.server)
        lock.unlock()
        for server in servers { server.stop() }
    }
}

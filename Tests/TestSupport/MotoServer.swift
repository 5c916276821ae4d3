import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `moto_server` child process on a free loopback port, for end-to-end tests.
///
/// ```swift
/// let moto = try await MotoServer.start()                 // waits until /moto-api/data.json answers
/// let key = try moto.createAccessKey(account: "111111111111", userName: "auditor")
/// try moto.runPython(fixtureScript)                        // boto3 with AWS_ENDPOINT_URL = moto.endpoint
/// try await moto.setSignatureEnforcement(true)             // POST /moto-api/reset-auth "0"
/// …                                                        // sign with `key`: it selects its account
/// moto.stop()                                              // also on deinit
/// ```
///
/// - The server runs in its own process group under a small shell watchdog: `stop()` kills the
///   whole group, and the watchdog kills the group within a second of the test process exiting
///   (a suite-wide `static` server is cleaned up that way).
/// - A missing `moto_server` is an error (`MotoServer.Failure`), never a skipped test.
/// - Accounts (Documentation/aws-checks.md §4): requests with header `x-moto-account-id: <12 digits>` act in that
///   account; a key created there selects it without the header. Any other key is 123456789012.
/// - Signature checks are off by default; `setSignatureEnforcement(true)` turns them on (create
///   the keys first, while they are off: Documentation/aws-checks.md §5).
public final class MotoServer: @unchecked Sendable {
    /// Start-up options.
    public struct Options: Sendable {
        /// Extra environment for the server. Defaults to `MOTO_EC2_LOAD_DEFAULT_AMIS=false`
        /// (no stock AMIs and ~1,170 snapshots per region, Documentation/aws-checks.md §3.22).
        public var environment: [String: String]
        /// `INITIAL_NO_AUTH_ACTION_COUNT`: the first N requests skip auth, later ones are checked.
        public var initialNoAuthActionCount: Int?
        /// `MOTO_IAM_LOAD_MANAGED_POLICIES=true` (slow: ~4–5 s per new account).
        public var loadIAMManagedPolicies: Bool
        /// How long to wait for the server to answer.
        public var startTimeout: TimeInterval

        public init(
            environment: [String: String] = ["MOTO_EC2_LOAD_DEFAULT_AMIS": "false"],
            initialNoAuthActionCount: Int? = nil, loadIAMManagedPolicies: Bool = false,
            startTimeout: TimeInterval = 45
        ) {
            self.environment = environment
            self.initialNoAuthActionCount = initialNoAuthActionCount
            self.loadIAMManagedPolicies = loadIAMManagedPolicies
            self.startTimeout = startTimeout
        }
    }

    /// Why the harness could not do what was asked.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// An IAM access key minted inside moto (its id selects `account`).
    public struct AccessKey: Sendable, Equatable {
        public var account: String
        public var userName: String
        public var accessKeyId: String
        public var secretAccessKey: String
    }

    public let port: Int
    /// `http://127.0.0.1:<port>`: use as `AWS_ENDPOINT_URL`.
    public let endpoint: URL
    /// The server's stdout/stderr (useful when a test fails).
    public let logFile: URL
    /// Holds the watchdog shell's pid, which is also the process-group id (`setsid` may fork,
    /// so `process.processIdentifier` is not necessarily the group).
    private let pidFile: URL
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    /// Starts a server and waits until it answers.
    public static func start(_ options: Options = Options()) async throws -> MotoServer {
        var lastError: Error?
        for _ in 0..<3 {  // a port picked as free can be taken before moto binds it
            let server = try MotoServer(options: options)
            do {
                try await server.waitUntilReady(timeout: options.startTimeout)
                return server
            } catch {
                lastError = error
                server.stop()
            }
        }
        throw lastError ?? Failure("moto_server did not start")
    }

    private init(options: Options) throws {
        guard let moto = Self.findExecutable("moto_server") else {
            throw Failure("moto_server not found on PATH; install it with `pip install 'moto[server]==5.2.1'`")
        }
        port = try Self.freePort()
        guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw Failure("bad port \(port)") }
        endpoint = url
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "moto-\(port)-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        pidFile = logFile.deletingPathExtension().appendingPathExtension("pgid")

        var environment = ProcessInfo.processInfo.environment
        for (key, value) in options.environment { environment[key] = value }
        if let count = options.initialNoAuthActionCount { environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(count) }
        if options.loadIAMManagedPolicies { environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" }
        // The server must not pick up a developer's AWS settings.
        for key in environment.keys where key.hasPrefix("AWS_") { environment[key] = nil }

        // setsid: own process group, so stop() can kill the server and the watchdog together.
        // The watchdog ends the whole group when the test process (PARENT) goes away: `moto_server`
        // may be a pyenv shim whose python child would survive a plain `kill $m`. SIGKILL, because
        // children of the test runner inherit a signal mask that blocks SIGTERM and SIGINT.
        let parent = ProcessInfo.processInfo.processIdentifier
        let script = """
            echo $$ >"$PIDFILE"
            "$MOTO" -H 127.0.0.1 -p \(port) >>"$LOG" 2>&1 &
            m=$!
            trap 'exit 0' TERM INT
            while kill -0 \(parent) 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done
            kill -KILL -$$ 2>/dev/null
            """
        environment["MOTO"] = moto.path
        environment["LOG"] = logFile.path
        environment["PIDFILE"] = pidFile.path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["/bin/sh", "-c", script]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit { stop() }

    /// Kills the server's process group (idempotent).
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        // SIGKILL: the child inherits the test runner's signal mask, which blocks SIGTERM.
        if let group = processGroup {
            kill(-group, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while kill(group, 0) == 0 && Date() < deadline { usleep(10_000) }
        }
        try? FileManager.default.removeItem(at: pidFile)
    }

    /// The watchdog's process group, once its pid file is written.
    private var processGroup: Int32? {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return nil }
        return pid
    }

    /// True while the watchdog (and so the server) is alive.
    private var isAlive: Bool {
        guard let group = processGroup else { return true }  // not written yet: still starting
        return kill(group, 0) == 0
    }

    /// The server's log so far (for failure messages).
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    private func waitUntilReady(timeout: TimeInterval) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isAlive {
                throw Failure("moto_server exited during start-up: \(log.suffix(500))")
            }
            // The log line proves the answer came from this server: a port picked as free can be
            // bound by another test's server first, and that one would answer too.
            if log.contains("Running on http://127.0.0.1:\(port)"),
                let response = try? await http("GET", "/moto-api/data.json", timeout: 2), response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(150))
        }
        throw Failure("moto_server on port \(port) did not answer within \(Int(timeout)) s: \(log.suffix(500))")
    }

    // MARK: - Control API

    /// Switches moto's IAM-auth mode: `true` checks every later request's signature and policy.
    /// The body goes as `text/plain` (Flask swallows a form body, Documentation/aws-checks.md §5).
    public func setSignatureEnforcement(_ enabled: Bool) async throws {
        let response = try await http(
            "POST", "/moto-api/reset-auth", body: Data((enabled ? "0" : "inf").utf8),
            contentType: "text/plain")
        guard response.status == 200 else {
            throw Failure("reset-auth answered HTTP \(response.status): \(response.text)")
        }
    }

    /// Deletes every resource in every account (`POST /moto-api/reset`).
    public func reset() async throws {
        let response = try await http("POST", "/moto-api/reset")
        guard response.status == 200 else { throw Failure("reset answered HTTP \(response.status)") }
    }

    /// A raw HTTP call to the server (control API or hand-made requests).
    public func http(
        _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:],
        contentType: String? = nil, timeout: TimeInterval = 30
    ) async throws -> (status: Int, text: String) {
        guard let url = URL(string: path, relativeTo: endpoint) else { throw Failure("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = timeout
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (key, value) in headers { request.setValue(value, forHTTPHeaderField: key) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    // MARK: - Fixtures through boto3

    /// Environment for boto3 scripts and the `sop` binary: endpoint = this server, dummy keys,
    /// `us-east-1`, no retries, no developer config files.
    public func clientEnvironment(accessKey: AccessKey? = nil, region: String = "us-east-1") -> [String: String] {
        var env: [String: String] = [:]
        let inherited = ProcessInfo.processInfo.environment
        for key in ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYENV_ROOT", "PYENV_VERSION"] {
            env[key] = inherited[key]
        }
        env["AWS_ENDPOINT_URL"] = endpoint.absoluteString
        env["AWS_ACCESS_KEY_ID"] = accessKey?.accessKeyId ?? "testing"
        env["AWS_SECRET_ACCESS_KEY"] = accessKey?.secretAccessKey ?? "testing"
        env["AWS_DEFAULT_REGION"] = region
        env["AWS_REGION"] = region
        env["AWS_MAX_ATTEMPTS"] = "1"
        env["AWS_CONFIG_FILE"] = "/dev/null"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        return env
    }

    /// Runs a Python (boto3) script against this server; throws with its stderr when it fails.
    /// In the script, `x-moto-account-id` can be added with
    /// `client.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", ACCOUNT))`.
    @discardableResult
    public func runPython(
        _ script: String, arguments: [String] = [], accessKey: AccessKey? = nil,
        region: String = "us-east-1", environment extra: [String: String] = [:]
    ) throws -> ProcessResult {
        guard let python = Self.findExecutable("python3") else { throw Failure("python3 not found on PATH") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("moto-fixture-\(UUID().uuidString).py")
        try Data(script.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var env = clientEnvironment(accessKey: accessKey, region: region)
        for (key, value) in extra { env[key] = value }
        let result = try runProcess(python, [file.path] + arguments, environment: env)
        guard result.status == 0 else {
            throw Failure("python fixture failed (status \(result.status)): \(result.stderr.suffix(1500))")
        }
        return result
    }

    /// Creates an IAM user with an `Allow *:*` inline policy and an access key in `account`
    /// (call while signature checks are off). The key then selects that account on its own.
    public func createAccessKey(
        account: String = "123456789012", userName: String = "auditor",
        policy: String? = nil
    ) throws -> AccessKey {
        let document =
            policy ?? #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        let result = try runPython(Self.createKeyScript, arguments: [account, userName, document])
        guard let data = result.stdout.split(separator: "\n").last.map({ Data($0.utf8) }),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String],
            let id = object["AccessKeyId"], let secret = object["SecretAccessKey"]
        else {
            throw Failure("create-access-key script printed no key")
        }
        return AccessKey(account: account, userName: userName, accessKeyId: id, secretAccessKey: secret)
    }

    private static let createKeyScript = """
        import json, sys
        import boto3
        account, user, policy = sys.argv[1], sys.argv[2], sys.argv[3]
        iam = boto3.client("iam")
        iam.meta.events.register("before-sign.*.*",
                                 lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="sop-test", PolicyDocument=policy)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        print(json.dumps({"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}))
        """

    // MARK: - Helpers

    /// An executable on PATH (pyenv shims included).
    public static func findExecutable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// A TCP port that was free a moment ago (bind to port 0 and read it back).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed") }
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
        guard bound == 0 else { throw Failure("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

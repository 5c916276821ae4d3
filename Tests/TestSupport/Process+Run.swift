import Foundation

/// The outcome of running a program to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutData: Data
}

/// Runs a program, feeding `input` on stdin, and waits for it.
///
/// Output is drained on background threads so a chatty child never blocks on a full pipe.
@discardableResult
public func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
    currentDirectory: URL? = nil, input: Data? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    let outBox = DataBox()
    let errBox = DataBox()
    let group = DispatchGroup()
    for (pipe, box) in [(out, outBox), (err, errBox)] {
        group.enter()
        DispatchQueue.global().async {
            box.data = pipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
    }
    try process.run()
    if let input { inp.fileHandleForWriting.write(input) }
    try? inp.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outBox.data, as: UTF8.self),
        stderr: String(decoding: errBox.data, as: UTF8.self),
        stdoutData: outBox.data)
}

private final class DataBox: @unchecked Sendable { var data = Data() }

/// Runs the built `sop` binary with an isolated environment (its own database
/// unless `SOP_DB` is given, no colour, no AWS settings from the developer's machine).
@discardableResult
public func runSOP(
    _ arguments: [String], environment extra: [String: String] = [:],
    currentDirectory: URL? = nil, input: Data? = nil
) throws -> ProcessResult {
    var env: [String: String] = [:]
    let inherited = ProcessInfo.processInfo.environment
    for key in ["PATH", "LANG", "LC_ALL", "TMPDIR"] { env[key] = inherited[key] }
    env["HOME"] = inherited["SOP_TEST_HOME"] ?? FileManager.default.temporaryDirectory.path
    env["NO_COLOR"] = "1"
    env["SOP_TEMPLATES"] = Paths.templatesDirectory.path
    for (k, v) in extra { env[k] = v }
    return try runProcess(
        Paths.sopExecutable, arguments, environment: env,
        currentDirectory: currentDirectory, input: input)
}

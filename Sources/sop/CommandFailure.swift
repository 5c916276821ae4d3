import Foundation
import SOPApp

/// An error a command reports to the user as one line, with the exit code it implies.
///
/// Exit codes: 1 = the thing checked is not OK (lint problems, failed checks, broken audit chain);
/// 2 = bad usage or bad input (unknown customer, item, role, unreadable file), nothing changed;
/// 3 = verification errors without failures.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32

    init(_ message: String, code: Int32 = 2) {
        self.message = message.replacingOccurrences(of: "\n", with: " ")
        self.code = code
    }

    /// A failure that has already printed what it has to say.
    static func silent(_ code: Int32) -> CommandFailure { CommandFailure("", code: code) }

    /// A use case's verdict, when it is not OK, as a failure that prints nothing more.
    static func unless(_ verdict: Verdict) throws {
        if verdict != .ok { throw silent(verdict.exitCode) }
    }

    var description: String { message }
}

/// Output helpers shared by commands.
enum Terminal {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((TerminalText.escape(line) + "\n").utf8))
    }

    /// True when stdout is a terminal; tables then get bars and colour (unless NO_COLOR is set).
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }

    static var colorEnabled: Bool {
        stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"].map { $0.isEmpty } ?? stdoutIsTTY
    }
}

/// Warnings and verification progress on stderr; the progress bar only when stderr is a terminal.
final class TerminalOutput: AppOutput, @unchecked Sendable {
    private let lock = NSLock()
    private var shown = false
    private let showsProgress = isatty(STDERR_FILENO) == 1

    func warning(_ line: String) { Terminal.standardError("sop: warning: \(line)") }

    func progress(_ done: Int, of total: Int) {
        guard showsProgress else { return }
        lock.lock()
        defer { lock.unlock() }
        let width = 30
        let filled = total == 0 ? width : width * done / max(total, 1)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\rverifying [\(bar)] \(done)/\(total)".utf8))
        shown = true
    }

    func progressFinished() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}

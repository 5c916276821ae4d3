import Foundation
import GRDB
import SOPCore

extension Store {
    /// Copies the whole database to `destination` with SQLite's online backup API.
    ///
    /// Safe while other commands write: the copy is a consistent snapshot. Refuses to
    /// overwrite an existing file.
    public func backup(to destination: String) throws {
        // A PostgreSQL tracker becomes a portable SQLite file that verifies offline.
        if let server {
            _ = try TrackerCopy.copy(from: .server(server), to: .file(destination))
            return
        }
        guard let pool else { return }
        if FileManager.default.fileExists(atPath: destination) {
            throw StoreError.badInput("\(destination) already exists")
        }
        let parent = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent) else {
            throw StoreError.badInput("\(parent): no such directory")
        }
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            try target.close()
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: destination)
            throw StoreError.badInput("cannot write backup \(destination): \(error.message ?? error.description)")
        }
    }

    /// True when `path` is an SQLite file holding a `sop` schema.
    public static func isSOPDatabase(path: String) -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        guard FileKind.of(path) == .regular,
            let queue = try? DatabaseQueue(path: path, configuration: configuration)
        else { return false }
        defer { try? queue.close() }
        let ok = try? queue.read { db -> Bool in
            guard try db.tableExists("grdb_migrations") else { return false }
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            guard applied.contains("v1") else { return false }
            for table in ["customer", "item", "evidence", "blob", "audit_event", "chain_head"] {
                guard try db.tableExists(table) else { return false }
            }
            return true
        }
        return ok ?? false
    }

    /// Replaces the database at `destination` with the backup at `source`.
    ///
    /// Checks first that `source` is a `sop` database; refuses to overwrite an existing
    /// database unless `force`. Uses the online backup API into the destination, so
    /// its WAL and connections stay consistent.
    public static func restore(from source: String, to destination: String, force: Bool) throws {
        if let problem = FileKind.problemReading(source, directoryNoun: "a backup") {
            throw StoreError.badInput("\(source): \(problem)")
        }
        guard isSOPDatabase(path: source) else { throw StoreError.badInput("\(source) is not a sop database") }
        switch FileKind.of(destination) {
        case .missing, .regular: break
        case .directory: throw StoreError.badInput("database path \(destination) is a directory")
        case .special(let what):
            throw StoreError.badInput("database path \(destination) is \(what), not a database file")
        }
        if FileManager.default.fileExists(atPath: destination) && !force {
            throw StoreError.problem(.wouldReplace(destination: destination, source: source))
        }
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: destination).deletingLastPathComponent(),
            withIntermediateDirectories: true)
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            let from = try DatabaseQueue(path: source, configuration: readOnly)
            var writable = Configuration()
            writable.busyMode = .timeout(30)
            let to = try DatabasePool(path: destination, configuration: writable)
            try from.backup(to: to)
            try from.close()
            try to.close()
        } catch let error as DatabaseError {
            throw StoreError.badInput("cannot restore \(source): \(error.message ?? error.description)")
        }
    }
}

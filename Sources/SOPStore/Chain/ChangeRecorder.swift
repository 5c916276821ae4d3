import GRDB
import SOPJSON
import Synchronization

/// Notes every row a write transaction inserts or updates in a tracked table, so that the
/// audit event appended in that transaction carries their images, and refuses to commit a
/// transaction that changed a tracked row no event explains.
///
/// The capture is the engine's part of the design (SQLite's update hook, through GRDB's
/// transaction observer); the images, the chain and the replay are engine-neutral. One
/// recorder watches the store's single writer connection, so its state is touched by one
/// transaction at a time; the mutex is there for the compiler, not for contention.
final class ChangeRecorder: TransactionObserver, Sendable {
    private struct Pending: Hashable {
        var table: String
        var rowID: Int64
    }

    private let state = Mutex<(pending: [Pending], seen: Set<Pending>, deleted: [String])>(([], [], []))

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        guard let table = TrackedTable.byName[eventKind.tableName] else { return false }
        if case .update(_, let columns) = eventKind {
            // The one write no event states: the append itself stamps the customer's activity.
            return !columns.isSubset(of: Set(table.derived.keys))
        }
        return true
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let change = Pending(table: event.tableName, rowID: event.rowID)
        state.withLock { state in
            if event.kind == .delete {
                state.deleted.append(event.tableName)
            } else if state.seen.insert(change).inserted {
                state.pending.append(change)
            }
        }
    }

    /// The images of the rows changed since the last event, and a fresh start for the next.
    func drain(_ db: Database) throws -> [RowImage] {
        let (pending, deleted) = state.withLock { state in
            defer { state = ([], [], []) }
            return (state.pending, state.deleted)
        }
        if let table = deleted.first {
            throw StoreError(.integrity, "a row of \(table) was deleted; sop never deletes tracked rows")
        }
        let earlier = try BeforeImages.take(db)
        var images: [RowImage] = []
        images.reserveCapacity(pending.count)
        var columns: [String: [String]] = [:]
        for change in pending {
            guard let table = TrackedTable.byName[change.table] else { continue }
            let imaged = try columns[table.name] ?? table.imagedColumns(db)
            columns[table.name] = imaged
            let selected = (imaged + table.key.filter { !imaged.contains($0) }).map { "\"\($0)\"" }
                .joined(separator: ", ")
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT \(selected) FROM \"\(table.name)\" WHERE rowid = ?"),
                    arguments: [change.rowID])
            else { throw StoreError(.integrity, "a changed row of \(table.name) is gone before its event") }
            let values = RowImage.values(row, imaged)
            var image = RowImage(table: table, values: values, row: row)
            if let before = earlier[table.name]?[change.rowID] {
                image.before = CanonicalJSONValue.object(ImageValues.changed(from: before, to: values)).text
            }
            images.append(image)
        }
        return images
    }

    func databaseWillCommit() throws {
        let unexplained = state.withLock { !$0.pending.isEmpty || !$0.deleted.isEmpty }
        if unexplained {
            state.withLock { $0 = ([], [], []) }
            throw StoreError(.integrity, "a tracked row changed without an audit event (nothing was saved)")
        }
    }

    func databaseDidCommit(_ db: Database) {}

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0 = ([], [], []) }
    }
}

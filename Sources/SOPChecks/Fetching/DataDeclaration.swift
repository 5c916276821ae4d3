/// Everything the runner knows about one ``DataKey``: its scope, the calls that gather it,
/// the fetch group that sends them, and the snapshot field its answer lands in.
///
/// Entries are written once, in ``DataKey/declaration``; group membership
/// (``FetchGroup/keys``), the merge of a fetched answer into a snapshot and the overlay of a
/// region's data on the account's (``Snapshot/overlaying(regional:)``) are read from there,
/// so none of them can leave a key out.
struct DataDeclaration: Sendable {
    /// How a key's answer is obtained.
    enum Source: Sendable {
        /// Its own fetcher function; the group runs it concurrently with the group's other keys.
        case own(@Sendable (_ region: String, FetchContext) async -> SnapshotPatch)
        /// Its group's joint fetcher, because it shares its first calls with other keys of the
        /// group (``FetchGroup/jointFetch(_:region:context:)``).
        case group
    }

    let scope: Scope
    let group: FetchGroup
    /// The read-only operations gathering this data takes, in the order they are made.
    let calls: [APICall]
    let source: Source
    /// Copies this key's field from `source` into `target`, leaving every other field alone.
    let merge: @Sendable (_ source: Snapshot, _ target: inout Snapshot) -> Void
    /// What `snapshot` holds for this key, without the value: a value, a failure, or nothing yet.
    let answer: @Sendable (_ snapshot: Snapshot) -> Fetched<Void>

    /// A key with its own fetcher; `fetch` is given the region being fetched (the primary
    /// region for account-wide data) and the run's context.
    static func key<Value: Sendable>(
        _ scope: Scope, group: FetchGroup, calls: [APICall],
        field: WritableKeyPath<Snapshot, Fetched<Value>> & Sendable,
        fetch: @escaping @Sendable (_ region: String, FetchContext) async throws(FetchFailure) -> Value
    ) -> DataDeclaration {
        let source = Source.own { region, context in
            let value = await fetched { () async throws(FetchFailure) in try await fetch(region, context) }
            return { $0[keyPath: field] = value }
        }
        return DataDeclaration(scope: scope, group: group, calls: calls, source: source, field: field)
    }

    /// A key its group's joint fetcher gathers together with the group's other keys.
    static func key<Value: Sendable>(
        _ scope: Scope, group: FetchGroup, calls: [APICall], field: WritableKeyPath<Snapshot, Fetched<Value>> & Sendable
    ) -> DataDeclaration {
        DataDeclaration(scope: scope, group: group, calls: calls, source: .group, field: field)
    }

    private init<Value: Sendable>(
        scope: Scope, group: FetchGroup, calls: [APICall], source: Source,
        field: WritableKeyPath<Snapshot, Fetched<Value>> & Sendable
    ) {
        self.scope = scope
        self.group = group
        self.calls = calls
        self.source = source
        self.merge = { source, target in target[keyPath: field] = source[keyPath: field] }
        self.answer = { snapshot in
            switch snapshot[keyPath: field] {
            case .value: .value(())
            case .failed(let failure): .failed(failure)
            case .notFetched: .notFetched
            }
        }
    }
}

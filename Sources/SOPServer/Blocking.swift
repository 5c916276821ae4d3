import NIOPosix
import SOPApp

/// Runs a use case off Swift's cooperative threads: the store's calls block (SQLite, libpq),
/// and a blocked cooperative thread would stall every other request on a two-core machine.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

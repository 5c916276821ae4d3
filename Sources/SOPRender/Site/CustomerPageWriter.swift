import Foundation

/// Renders the customer pages on every core, each batch of pages as soon as its reports are read.
///
/// Reading reports and rendering them cost about the same, and customers are independent, so
/// workers take every n-th batch of `batchSize` customers and read each batch at once (a few
/// statements for the batch instead of several per customer). Only the batches in flight are
/// in memory. The first error stops the other workers and is rethrown.
struct CustomerPageWriter: Sendable {
    var pages: SitePages
    var workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Eight customers a batch: on PostgreSQL one batch read costs about what one customer's
    /// did, so 1,000 pages take 125 reads instead of 1,000; larger batches gained nothing more
    /// there and cost SQLite time and memory (measured at 1, 8 and 50, BENCHMARKS.md).
    var batchSize = 8

    /// Calls `emit(path, html)` once per customer page (from several threads) and returns the paths.
    func write(_ emit: @escaping @Sendable (_ path: String, _ html: String) throws -> Void) throws -> [String] {
        let input = pages.input
        let loaded = Dictionary(input.reports.map { ($0.customer.slug, $0) }, uniquingKeysWith: { first, _ in first })
        let slugs = input.customerSlugs
        let batches = stride(from: 0, to: slugs.count, by: max(1, batchSize)).map {
            Array(slugs[$0..<min(slugs.count, $0 + max(1, batchSize))])
        }
        let state = WorkerState()
        let count = min(workers, max(1, batches.count))
        // Global-queue workers plus this thread. Not `concurrentPerform`: called from an async
        // command (a cooperative thread), it ran every iteration on that one thread.
        let work: @Sendable (Int) -> Void = { worker in
            for index in stride(from: worker, to: batches.count, by: count) where !state.failed {
                do {
                    let unread = batches[index].filter { loaded[$0] == nil }
                    let read = unread.isEmpty ? [] : try input.loadReports?(unread) ?? []
                    let fetched = Dictionary(
                        read.map { ($0.customer.slug, $0) }, uniquingKeysWith: { first, _ in first })
                    for slug in batches[index] where !state.failed {
                        guard let report = loaded[slug] ?? fetched[slug], let path = pages.layout.customerFiles[slug]
                        else { continue }
                        try emit(path, pages.customer(report))
                        state.add(path)
                    }
                } catch {
                    state.fail(error)
                }
            }
        }
        let group = DispatchGroup()
        for worker in 1..<count { DispatchQueue.global().async(group: group) { work(worker) } }
        work(0)
        group.wait()
        if let error = state.error { throw error }
        return state.paths.sorted()
    }
}

/// What the workers share: the pages written and the first error.
private final class WorkerState: @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String] = []
    private var firstError: Error?

    var failed: Bool { lock.withLock { firstError != nil } }
    var error: Error? { lock.withLock { firstError } }
    var paths: [String] { lock.withLock { written } }

    func add(_ path: String) { lock.withLock { written.append(path) } }
    func fail(_ error: Error) { lock.withLock { if firstError == nil { firstError = error } } }
}

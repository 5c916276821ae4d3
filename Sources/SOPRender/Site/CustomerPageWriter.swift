import Foundation

/// Renders the customer pages on every core, each page as soon as its report is read.
///
/// Reading a report (several queries) and rendering it cost about the same, and customers
/// are independent, so workers take every n-th customer. Only the reports in flight are in
/// memory. The first error stops the other workers and is rethrown.
struct CustomerPageWriter: Sendable {
    var pages: SitePages
    var workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `emit(path, html)` once per customer page (from several threads) and returns the paths.
    func write(_ emit: @escaping @Sendable (_ path: String, _ html: String) throws -> Void) throws -> [String] {
        let input = pages.input
        let loaded = Dictionary(input.reports.map { ($0.customer.slug, $0) }, uniquingKeysWith: { first, _ in first })
        let slugs = input.customerSlugs
        let state = WorkerState()
        let count = min(workers, max(1, slugs.count))
        // Global-queue workers plus this thread. Not `concurrentPerform`: called from an async
        // command (a cooperative thread), it ran every iteration on that one thread.
        let work: @Sendable (Int) -> Void = { worker in
            for index in stride(from: worker, to: slugs.count, by: count) where !state.failed {
                let slug = slugs[index]
                do {
                    guard let report = try loaded[slug] ?? input.loadReport?(slug),
                        let path = pages.layout.customerFiles[slug]
                    else { continue }
                    try emit(path, pages.customer(report))
                    state.add(path)
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

import Foundation
import SOPChecks
import SOPCore
import SOPStore

/// Builds a realistic portfolio through the public ``Store`` API, the same calls the
/// commands make: customers on the full template, notes, files and links as evidence,
/// items marked, assigned (some overdue) and blocked, verification runs with a few
/// failures, and item and section sign-offs. Deterministic for a given seed.
///
/// The store has no batch API (every mutating call is one transaction with one audit
/// event), so generation costs one transaction per call; bench.sh therefore builds the
/// database in a RAM-backed folder when it can and reuses it for every measurement.
enum PortfolioGenerator {
    static func run(_ options: Options) throws {
        let path = try options.string("db")
        let count = try options.int("customers")
        let seed = UInt64(try options.int("seed", default: 7))
        let workers = max(1, try options.int("workers", default: 2))
        let reference = options.string("template", default: "aws-account@1.1.0")
        let templatesDirectory = options.string("templates", default: "Templates")
        let library = TemplateLibrary(searchPaths: [URL(fileURLWithPath: templatesDirectory)])
        let template = try library.load(reference)

        // Opening once first creates the schema before any worker starts.
        let first = try Store.open(path: path)
        // Customers already in the file are kept: each customer's story depends only on its
        // index and the seed, so growing a 100-customer file to 1,000 gives exactly the
        // 1,000-customer portfolio (bench.sh builds 100 → 1,000 → 5,000 that way).
        let existing = Set(try first.customers().map(\.slug))
        first.close()
        let todo = (0..<count).filter { !existing.contains(CustomerNames.slug($0)) }

        // Workers each own a Store (its own connection pool on the same file) and a simulated
        // clock: the store's validation and secret scanning run outside its write lock, so two
        // workers keep both cores busy while SQLite serialises the transactions.
        let start = ContinuousClock.now
        let outcome = WorkerOutcome()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                let clock = SimulatedClock(start: Date(timeIntervalSince1970: 1_735_689_600))
                let store = try Store.open(path: path, now: { clock.now })
                defer { store.close() }
                var generator = Generator(
                    template: template, store: store, clock: clock, random: SeededRandom(seed: seed))
                for index in todo where index % workers == worker {
                    generator.random = SeededRandom(seed: seed &* 1_000_003 &+ UInt64(index))
                    try generator.customer(index: index)
                }
                outcome.add(calls: generator.calls, refused: generator.refused)
            } catch {
                outcome.fail("worker \(worker): \(error)")
            }
        }
        if let failure = outcome.failure { throw BenchError(failure) }
        printJSONLine([
            "customers": count, "added": todo.count, "seconds": seconds(since: start), "calls": outcome.calls,
            "refused": outcome.refused, "workers": workers, "db": path,
        ])
    }
}

/// What the workers report back, collected under a lock.
final class WorkerOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls = 0
    private(set) var refused = 0
    private(set) var failure: String?

    func add(calls: Int, refused: Int) {
        lock.lock()
        self.calls += calls
        self.refused += refused
        lock.unlock()
    }

    func fail(_ message: String) {
        lock.lock()
        if failure == nil { failure = message }
        lock.unlock()
    }
}

/// The per-customer story. Counts calls so the summary can say how many transactions it took.
struct Generator {
    let template: Template
    let store: Store
    let clock: SimulatedClock
    var random: SeededRandom
    var calls = 0
    /// Calls the store refused on purpose (a `done` whose dependency is still open): kept as in-progress.
    var refused = 0

    static let engineers = ["dana", "sam", "priya", "lee", "morgan", "alex", "jo", "kim", "ravi", "tess"]
    static let allRegions = [
        "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "eu-west-2",
        "ap-southeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1",
    ]

    init(template: Template, store: Store, clock: SimulatedClock, random: SeededRandom) {
        self.template = template
        self.store = store
        self.clock = clock
        self.random = random
    }

    mutating func customer(index: Int) throws {
        let slug = CustomerNames.slug(index)
        let name = CustomerNames.name(index)
        // A new customer every few hours of simulated time from 2025-01-01; each works through
        // the checklist over the following weeks.
        let startDay = Double(index) * 0.25
        clock.set(
            Date(
                timeIntervalSince1970: 1_735_689_600 + startDay * 86_400
                    + Double(Int.random(in: 0..<36_000, using: &random))))
        let owner = random.pick(Self.engineers) ?? "dana"
        var compliance: [String] = []
        if random.chance(0.25) { compliance.append("hipaa") }
        if random.chance(0.35) { compliance.append("gdpr") }
        let regions = Array(Self.allRegions.shuffled(using: &random).prefix(Int.random(in: 1...4, using: &random)))
        let due = Timestamps.day(clock.now + Double(Int.random(in: 20...120, using: &random)) * 86_400)
        let new = NewCustomer(
            slug: slug, name: name, email: "aws-root@\(slug).example",
            address: "\(index + 1) Harbour Road, Springfield",
            phone: nil, contacts: ["IT lead <it@\(slug).example>"], owner: owner, due: due, compliance: compliance,
            regions: regions, awsProfile: slug)
        try store.createCustomer(new, template: template, by: owner)
        calls += 1

        let attributes = CustomerAttributes(
            compliance: Set(compliance), regions: Set(regions),
            parameters: template.parameterValues())
        let applicable = template.items.filter { $0.when.map { $0.evaluate(attributes) } ?? true }
        // How far this customer has got: a spread from just started to handed over.
        let progress = [0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0][Int.random(in: 0..<7, using: &random)]
        let reached = Int((Double(applicable.count) * progress).rounded())

        if progress >= 0.4 {
            try verification(slug: slug, applicable: applicable, regions: regions, by: owner)
        }
        for (position, item) in applicable.enumerated() {
            tick()
            if position < reached {
                try complete(item, slug: slug, by: owner)
            } else if position < reached + 3 {
                try progressing(item, slug: slug, by: owner)
            } else if random.chance(0.08) {
                let who = random.pick(Self.engineers) ?? owner
                let dueDay = Timestamps.day(clock.now + Double(Int.random(in: -30...45, using: &random)) * 86_400)
                try store.assign(customer: slug, item: item.id, to: who, due: dueDay, by: owner)
                calls += 1
            }
        }
        if progress >= 0.6, random.chance(0.5) {
            try verification(slug: slug, applicable: applicable, regions: regions, by: owner)
        }
        try signoffs(slug: slug, applicable: applicable, reached: reached)
    }

    /// Evidence for every manual kind, then `done` (the store refuses while a dependency is open).
    mutating func complete(_ item: Item, slug: String, by actor: String) throws {
        for kind in item.evidence where kind != .check {
            try evidence(kind, item: item, slug: slug, by: actor)
        }
        do {
            try store.mark(customer: slug, item: item.id, status: .done, by: actor)
        } catch let error as StoreError where error.kind == .badInput {
            refused += 1
            try store.mark(customer: slug, item: item.id, status: .inProgress, by: actor)
        }
        calls += 1
    }

    /// The items just past the customer's frontier: in progress, blocked, or assigned.
    mutating func progressing(_ item: Item, slug: String, by actor: String) throws {
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            try store.mark(
                customer: slug, item: item.id, status: .blocked,
                reason: "waiting for the customer's IT team to confirm the \(item.section) details", by: actor)
        case 1:
            let who = random.pick(Self.engineers) ?? actor
            let dueDay = Timestamps.day(clock.now + Double(Int.random(in: -20...30, using: &random)) * 86_400)
            try store.assign(customer: slug, item: item.id, to: who, due: dueDay, by: actor)
        default:
            if let kind = item.evidence.first(where: { $0 != .check }) {
                try evidence(kind, item: item, slug: slug, by: actor)
            }
            try store.mark(customer: slug, item: item.id, status: .inProgress, by: actor)
        }
        calls += 1
    }

    mutating func evidence(_ kind: EvidenceKind, item: Item, slug: String, by actor: String) throws {
        let content: EvidenceContent
        switch kind {
        case .note:
            content = .note(EvidenceTexts.note(item: item, customer: slug, random: &random))
        case .link:
            content = .link("https://wiki.consultancy.example/customers/\(slug)/\(item.id)")
        case .file:
            content = EvidenceTexts.file(item: item, customer: slug, random: &random)
        case .check:
            return
        }
        try store.addEvidence(
            customer: slug, item: item.id, content: content, by: actor,
            internal: random.chance(0.1))
        calls += 1
        tick()
    }

    /// One recorded run of every check the customer's items name, mostly passing.
    mutating func verification(slug: String, applicable: [Item], regions: [String], by actor: String) throws {
        let plan = try VerificationPlan(template: template, applicableItems: Set(applicable.map(\.id)))
        var results: [CheckResultRecord] = []
        for entry in plan.entries {
            let scopes: [String?] = entry.check.scope == .global ? [nil] : regions.map { $0 }
            for region in scopes {
                let fails = random.chance(0.06)
                results.append(
                    CheckResultRecord(
                        checkId: entry.check.id, title: entry.check.title, itemIds: entry.items,
                        sections: entry.sections,
                        region: region, outcome: fails ? .fail : .pass,
                        summary: fails ? "1 resource does not meet the criterion" : "meets the criterion",
                        resources: fails
                            ? ["arn:aws:iam::111111111111:user/contractor-\(Int.random(in: 1...40, using: &random))"]
                            : [],
                        calls: entry.check.calls.map(\.description)))
            }
        }
        let started = clock.now
        let run = SOPStore.VerificationRun(
            account: "111111111111", regions: regions, startedAt: started,
            finishedAt: started + 4, callsMade: results.count * 3, results: results)
        try store.recordCheckResults(customer: slug, run: run, by: actor)
        calls += 1
        tick()
    }

    /// Sign-offs where the work is done: item roles on done items, section roles on finished
    /// sections. The store refuses a sign-off of unsettled work (an item whose done was refused,
    /// or that verification failed); those count as refused, like a refused `done`.
    mutating func signoffs(slug: String, applicable: [Item], reached: Int) throws {
        let done = Set(applicable.prefix(reached).map(\.id))
        for item in applicable where done.contains(item.id) {
            for role in item.signoff {
                try refusable { store in
                    try store.signoff(
                        customer: slug, target: item.id, role: role, by: Self.signer(role),
                        note: "Reviewed the evidence for \(item.id).")
                }
                calls += 1
            }
        }
        for section in template.sections where !section.signoff.isEmpty {
            let inSection = applicable.filter {
                $0.section == section.number || $0.section.hasPrefix(section.number + ".")
            }
            guard !inSection.isEmpty, inSection.allSatisfy({ done.contains($0.id) }) else { continue }
            for role in section.signoff {
                try refusable { store in
                    try store.signoff(customer: slug, target: section.number, role: role, by: Self.signer(role))
                }
                calls += 1
            }
        }
    }

    /// Runs a store call the store may refuse as bad input, counting the refusal.
    mutating func refusable(_ call: (Store) throws -> Void) throws {
        do {
            try call(store)
        } catch let error as StoreError where error.kind == .badInput {
            refused += 1
        }
    }

    static func signer(_ role: String) -> String {
        role == "Customer Stakeholder" ? "customer-cto" : "priya"
    }

    /// Moves simulated time on by minutes to hours between actions.
    mutating func tick() {
        clock.advance(Double(Int.random(in: 60...14_400, using: &random)))
    }
}

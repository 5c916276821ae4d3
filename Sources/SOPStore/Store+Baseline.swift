import Foundation

/// A customer's accepted verification run: what `sop verify --gate` compares a new run with.
public struct BaselineInfo: Sendable, Equatable {
    public var customer: String
    /// The accepted run (its id, `V3`, and its results).
    public var run: StoredVerificationRun
    public var setBy: String
    public var setAt: String
}

extension Store {
    /// Marks a verification run as the customer's accepted state. Without `run`, the run in
    /// force at the customer's latest sign-off (the last run recorded before it): what was
    /// signed off is what later runs must not fall back from. No sign-off and no run named is
    /// refused rather than guessed.
    @discardableResult
    public func setBaseline(customer slug: String, run requested: String?, by actor: String) throws -> BaselineInfo {
        try write { db in
            let customer = try customerRecord(db, slug)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            let runID: Int64
            if let requested {
                let digits = requested.hasPrefix("V-") ? requested.dropFirst(2) : requested.drop { $0 == "V" }
                guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let number = Int64(digits),
                    try db.integer(
                        "SELECT count(*) FROM verification_run WHERE customer_id = ? AND id = ?",
                        [.integer(customerID), .integer(number)]) > 0
                else {
                    throw StoreError.badInput(
                        "unknown verification run '\(requested)' for customer '\(slug)' (see 'sop log \(slug)')")
                }
                runID = number
            } else {
                guard
                    let signedAt = try db.strings(
                        "SELECT max(signed_at) FROM signoff WHERE customer_id = ? AND revoked_at IS NULL",
                        [.integer(customerID)]
                    ).first, !signedAt.isEmpty
                else {
                    throw StoreError.badInput(
                        "\(slug) has no sign-off yet; name the accepted run with --run V-ID")
                }
                let runs = try db.rows(
                    "SELECT max(id) AS id FROM verification_run WHERE customer_id = ? AND recorded_at <= ?",
                    [.integer(customerID), .text(signedAt)])
                guard let number = runs.first?["id"].integer else {
                    throw StoreError.badInput(
                        "\(slug) had no verification run at its latest sign-off (\(signedAt)); name one with --run V-ID"
                    )
                }
                runID = number
            }
            let previous = try db.rows(
                "SELECT verification_run_id FROM baseline WHERE customer_id = ?", [.integer(customerID)]
            ).first?["verification_run_id"].integer
            try db.execute(
                """
                INSERT INTO baseline (customer_id, verification_run_id, set_by, set_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (customer_id) DO UPDATE SET verification_run_id = excluded.verification_run_id,
                    set_by = excluded.set_by, set_at = excluded.set_at
                """, [.integer(customerID), .integer(runID), .text(actor), .text(nowString)])
            try audit(
                db, customer: slug, actor: actor, action: "baseline.set", target: "V\(runID)",
                before: CanonicalJSON.object(["run": previous.map { "V\($0)" }]),
                after: CanonicalJSON.object(["run": "V\(runID)"]))
            guard let info = try Self.baseline(db, customerID: customerID, slug: slug) else {
                throw StoreError(.integrity, "the baseline of \(slug) was not written")
            }
            return info
        }
    }

    /// The customer's baseline, nil before `sop baseline set`.
    public func baseline(customer slug: String) throws -> BaselineInfo? {
        try read { db in
            let customer = try customerRecord(db, slug)
            return try Self.baseline(db, customerID: customer.id ?? 0, slug: slug)
        }
    }

    static func baseline(_ db: StoreSession, customerID: Int64, slug: String) throws -> BaselineInfo? {
        guard
            let row = try db.rows(
                "SELECT verification_run_id, set_by, set_at FROM baseline WHERE customer_id = ?",
                [.integer(customerID)]
            ).first, let runID = row["verification_run_id"].integer
        else { return nil }
        let records = try db.records(
            VerificationRunRecord.self, "SELECT * FROM verification_run WHERE id = ?", [.integer(runID)])
        guard let run = storedRuns(records).first else {
            throw StoreError(.integrity, "the baseline run V\(runID) of \(slug) cannot be read")
        }
        return BaselineInfo(customer: slug, run: run, setBy: row.string("set_by"), setAt: row.string("set_at"))
    }
}

extension Store {
    /// Every customer's latest run and, when it has one, its accepted run, by slug, in one read
    /// (three statements, whatever the number of customers): what the agenda holds against each
    /// other. Customers never verified are absent.
    public func latestAndAcceptedRuns() throws
        -> [String: (latest: StoredVerificationRun, accepted: StoredVerificationRun?)]
    {
        let batch = try read { db in
            (
                slugs: try db.rows("SELECT id, slug FROM customer", []),
                accepted: try db.rows("SELECT customer_id, verification_run_id FROM baseline", []),
                runs: try db.records(
                    VerificationRunRecord.self,
                    """
                    SELECT * FROM verification_run WHERE id IN (SELECT max(id) FROM verification_run GROUP BY customer_id)
                        OR id IN (SELECT verification_run_id FROM baseline)
                    """, [])
            )
        }
        var slugByID: [Int64: String] = [:]
        for row in batch.slugs { if let id = row["id"].integer { slugByID[id] = row.string("slug") } }
        var runs: [Int64: StoredVerificationRun] = [:]
        var latestOf: [Int64: Int64] = [:]
        for record in batch.runs {
            guard let id = record.id, let run = Self.storedRuns([record]).first else { continue }
            runs[id] = run
            latestOf[record.customerId] = max(latestOf[record.customerId] ?? 0, id)
        }
        var accepted: [Int64: Int64] = [:]
        for row in batch.accepted {
            if let customer = row["customer_id"].integer { accepted[customer] = row["verification_run_id"].integer }
        }
        var result: [String: (latest: StoredVerificationRun, accepted: StoredVerificationRun?)] = [:]
        for (customer, id) in latestOf {
            guard let slug = slugByID[customer], let latest = runs[id] else { continue }
            result[slug] = (latest, accepted[customer].flatMap { runs[$0] })
        }
        return result
    }
}

import Foundation
import SOPCore

/// Evidence that ages: a template item's `valid_for` (and, for the results of verification runs,
/// the template parameter `verification_valid_for`) says how long its evidence stays current.
///
/// Evidence past that, or past its own `--expires`, is stale. An item whose current evidence of
/// a required kind is all stale needs renewal, and every sign-off that rested on it (the
/// item's own, and those of the sections holding it, given while the evidence was current)
/// turns stale: the approval was of facts that no longer hold. Pure: the report, the periods
/// and the day in, the aged report out; the facts come from the chain-covered rows and the
/// hash-pinned template, so nothing here is stored.
public enum EvidenceAgeing {
    /// `report` with each piece of evidence's last valid day, the items that need renewal and
    /// the sign-offs that rested on them marked stale.
    public static func apply(
        to report: CustomerReport, validity: [String: ValidityPeriod], checkValidity: ValidityPeriod?
    ) -> CustomerReport {
        let today = report.today
        var report = report
        var renewal: Set<String> = []
        for index in report.items.indices {
            let item = report.items[index]
            let period = validity[item.id]
            // Only the newest check evidence of each check@region is the current result.
            var newestCheck: [String: String] = [:]
            for evidence in item.evidence where evidence.kind == EvidenceKind.check.rawValue {
                let key = "\(evidence.checkId ?? "")@\(evidence.checkRegion ?? "")"
                if evidence.addedAt > newestCheck[key] ?? "" { newestCheck[key] = evidence.addedAt }
            }
            var currentKinds: Set<String> = []
            var staleKinds: Set<String> = []
            for e in item.evidence.indices {
                let evidence = report.items[index].evidence[e]
                guard evidence.retractedAt == nil else { continue }
                let isCheck = evidence.kind == EvidenceKind.check.rawValue
                if isCheck, evidence.addedAt != newestCheck["\(evidence.checkId ?? "")@\(evidence.checkRegion ?? "")"] {
                    continue
                }
                var until = evidence.expires
                if let aging = isCheck ? checkValidity : period, let added = Timestamps.parseStored(evidence.addedAt) {
                    // The last day it is current: the day before the period ends.
                    let end = Timestamps.day(aging.end(from: added).addingTimeInterval(-1))
                    until = min(until ?? end, end)
                }
                report.items[index].evidence[e].validUntil = until
                if let until, until < today {
                    report.items[index].evidence[e].stale = true
                    staleKinds.insert(evidence.kind)
                } else {
                    currentKinds.insert(evidence.kind)
                }
            }
            let required = Set(item.requiredEvidence)
            if !staleKinds.subtracting(currentKinds).intersection(required).isEmpty,
                item.status != .notApplicable
            {
                report.items[index].needsRenewal = true
                renewal.insert(item.id)
                for s in report.items[index].signoffs.indices where report.items[index].signoffs[s].state == .valid {
                    report.items[index].signoffs[s].state = .stale
                }
            }
        }
        guard !renewal.isEmpty else { return report }
        for s in report.signoffs.indices where report.signoffs[s].state == .valid {
            let number = report.signoffs[s].target
            let held = report.items.contains { item in
                renewal.contains(item.id) && (item.section == number || item.section.hasPrefix(number + "."))
            }
            if held { report.signoffs[s].state = .stale }
        }
        return report
    }
}

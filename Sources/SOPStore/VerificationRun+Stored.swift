import SOPCore
import Foundation

extension VerificationRun {
    /// Decodes a run as the store writes it (snake-case JSON, ISO-8601 dates).
    ///
    /// Reports read every recorded run of a customer, and JSONDecoder with snake-case key
    /// conversion was a tenth of a site build. ``JSONScanner`` reads the stored form in
    /// place; a document it does not fully understand takes the Codable path, so both accept
    /// the same documents (`VerificationRunDecodingTests`).
    static func decodeStored(_ data: Data) -> VerificationRun? {
        if let run = fast(data) { return run }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VerificationRun.self, from: data)
    }

    private static func fast(_ data: Data) -> VerificationRun? {
        var scanner = JSONScanner([UInt8](data))
        var account: String?? = .some(nil)
        var regions: [String]?
        var started: Date?
        var finished: Date?
        var calls: Int?
        var results: [CheckResultRecord]?
        let ok = scanner.object { scanner, key in
            switch key {
            case "account": account = scanner.optionalString(); return account != nil
            case "regions": regions = scanner.stringArray(); return regions != nil
            case "started_at": started = scanner.string().flatMap(Timestamps.parseStored); return started != nil
            case "finished_at": finished = scanner.string().flatMap(Timestamps.parseStored); return finished != nil
            case "calls_made": calls = scanner.integer(); return calls != nil
            case "results":
                var list: [CheckResultRecord] = []
                let ok = scanner.array { scanner in
                    guard let result = CheckResultRecord(scanning: &scanner) else { return false }
                    list.append(result)
                    return true
                }
                results = list
                return ok
            default: return scanner.skipValue()
            }
        }
        guard ok, scanner.atEnd, let account, let regions, let started, let finished, let calls, let results else { return nil }
        return VerificationRun(account: account, regions: regions, startedAt: started, finishedAt: finished,
                               callsMade: calls, results: results)
    }
}

extension CheckResultRecord {
    fileprivate init?(scanning scanner: inout JSONScanner) {
        var checkId: String?
        var title: String?? = .some(nil)
        var itemIds: [String]?
        var sections: [String]?
        var region: String?? = .some(nil)
        var outcome: CheckOutcome?
        var summary: String?
        var resources: [String]?
        var calls: [String]?
        let ok = scanner.object { scanner, key in
            switch key {
            case "check_id": checkId = scanner.string(); return checkId != nil
            case "title": title = scanner.optionalString(); return title != nil
            case "item_ids": itemIds = scanner.stringArray(); return itemIds != nil
            case "sections": sections = scanner.stringArray(); return sections != nil
            case "region": region = scanner.optionalString(); return region != nil
            case "outcome": outcome = scanner.string().flatMap(CheckOutcome.init(rawValue:)); return outcome != nil
            case "summary": summary = scanner.string(); return summary != nil
            case "resources": resources = scanner.stringArray(); return resources != nil
            case "calls": calls = scanner.stringArray(); return calls != nil
            default: return scanner.skipValue()
            }
        }
        guard ok, let checkId, let title, let itemIds, let sections, let region, let outcome, let summary,
              let resources, let calls else { return nil }
        self.init(checkId: checkId, title: title, itemIds: itemIds, sections: sections, region: region,
                  outcome: outcome, summary: summary, resources: resources, calls: calls)
    }
}

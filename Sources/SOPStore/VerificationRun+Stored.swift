import Foundation
import SOPCore
import SOPJSON

extension VerificationRun {
    /// Decodes a run as the store writes it (snake-case JSON, ISO-8601 dates).
    ///
    /// Reports read every recorded run of a customer, and JSONDecoder with snake-case key
    /// conversion was a tenth of a site build. SOPJSON's `JSONReader` reads the stored form
    /// in place; a document it does not fully understand takes the Codable path, so both accept
    /// the same documents (`VerificationRunDecodingTests`).
    static func decodeStored(_ data: Data) -> VerificationRun? {
        if let run = fast(data) { return run }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VerificationRun.self, from: data)
    }

    private static func fast(_ data: Data) -> VerificationRun? {
        var reader = JSONReader(data)
        var account: String?? = .some(nil)
        var regions: [String]?
        var started: Date?
        var finished: Date?
        var calls: Int?
        var results: [CheckResultRecord]?
        let ok = reader.object { reader, key in
            switch key {
            case "account":
                account = reader.optionalString()
                return account != nil
            case "regions":
                regions = reader.stringArray()
                return regions != nil
            case "started_at":
                started = reader.string().flatMap(Timestamps.parseStored)
                return started != nil
            case "finished_at":
                finished = reader.string().flatMap(Timestamps.parseStored)
                return finished != nil
            case "calls_made":
                calls = reader.integer()
                return calls != nil
            case "results":
                var list: [CheckResultRecord] = []
                let ok = reader.array { reader in
                    guard let result = CheckResultRecord(reading: &reader) else { return false }
                    list.append(result)
                    return true
                }
                results = list
                return ok
            default: return reader.skipValue()
            }
        }
        guard ok, reader.atEnd, let account, let regions, let started, let finished, let calls, let results else {
            return nil
        }
        return VerificationRun(
            account: account, regions: regions, startedAt: started, finishedAt: finished,
            callsMade: calls, results: results)
    }
}

extension CheckResultRecord {
    fileprivate init?(reading reader: inout JSONReader) {
        var checkId: String?
        var title: String?? = .some(nil)
        var itemIds: [String]?
        var sections: [String]?
        var region: String?? = .some(nil)
        var outcome: CheckOutcome?
        var summary: String?
        var resources: [String]?
        var calls: [String]?
        var observed: [String: String]?? = .some(nil)
        let ok = reader.object { reader, key in
            switch key {
            case "check_id":
                checkId = reader.string()
                return checkId != nil
            case "title":
                title = reader.optionalString()
                return title != nil
            case "item_ids":
                itemIds = reader.stringArray()
                return itemIds != nil
            case "sections":
                sections = reader.stringArray()
                return sections != nil
            case "region":
                region = reader.optionalString()
                return region != nil
            case "outcome":
                outcome = reader.string().flatMap(CheckOutcome.init(rawValue:))
                return outcome != nil
            case "summary":
                summary = reader.string()
                return summary != nil
            case "resources":
                resources = reader.stringArray()
                return resources != nil
            case "calls":
                calls = reader.stringArray()
                return calls != nil
            case "observed":
                var values: [String: String] = [:]
                let read = reader.object { reader, name in
                    guard let value = reader.string() else { return false }
                    values[name] = value
                    return true
                }
                observed = read ? .some(values) : nil
                return read
            default: return reader.skipValue()
            }
        }
        guard ok, let checkId, let title, let itemIds, let sections, let region, let outcome, let summary,
            let resources, let calls, let observed
        else { return nil }
        self.init(
            checkId: checkId, title: title, itemIds: itemIds, sections: sections, region: region,
            outcome: outcome, summary: summary, resources: resources, calls: calls, observed: observed)
    }
}

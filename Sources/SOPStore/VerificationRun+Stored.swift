import Foundation

extension VerificationRun {
    /// Decodes a run as the store writes it (snake-case JSON, ISO-8601 dates).
    ///
    /// Reports read every recorded run of a customer, and JSONDecoder with snake-case key
    /// conversion was a tenth of a site build; JSONSerialization plus field-by-field reading
    /// is about 2.7× faster. Anything of an unexpected shape takes the Codable path, so
    /// both accept the same documents (`VerificationRunDecodingTests`).
    static func decodeStored(_ data: Data) -> VerificationRun? {
        if let run = fast(data) { return run }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VerificationRun.self, from: data)
    }

    private static func fast(_ data: Data) -> VerificationRun? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let regions = object["regions"] as? [String],
              let started = (object["started_at"] as? String).flatMap(Timestamps.parseStored),
              let finished = (object["finished_at"] as? String).flatMap(Timestamps.parseStored),
              let calls = object["calls_made"] as? Int,
              let rawResults = object["results"] as? [[String: Any]] else { return nil }
        let account: String?
        switch object["account"] {
        case nil, is NSNull: account = nil
        case let text as String: account = text
        default: return nil
        }
        var results: [CheckResultRecord] = []
        results.reserveCapacity(rawResults.count)
        for raw in rawResults {
            guard let result = CheckResultRecord(stored: raw) else { return nil }
            results.append(result)
        }
        return VerificationRun(account: account, regions: regions, startedAt: started, finishedAt: finished,
                               callsMade: calls, results: results)
    }
}

extension CheckResultRecord {
    fileprivate init?(stored raw: [String: Any]) {
        guard let checkId = raw["check_id"] as? String, let itemIds = raw["item_ids"] as? [String],
              let outcome = (raw["outcome"] as? String).flatMap(CheckOutcome.init(rawValue:)),
              let summary = raw["summary"] as? String else { return nil }
        func optionalText(_ key: String) -> String?? {
            switch raw[key] {
            case nil, is NSNull: return .some(nil)
            case let text as String: return .some(text)
            default: return nil
            }
        }
        func list(_ key: String) -> [String]? {
            switch raw[key] {
            case nil: return nil
            case let strings as [String]: return strings
            default: return nil
            }
        }
        guard let title = optionalText("title"), let region = optionalText("region"),
              let sections = list("sections"), let resources = list("resources"), let calls = list("calls") else { return nil }
        self.init(checkId: checkId, title: title, itemIds: itemIds, sections: sections, region: region,
                  outcome: outcome, summary: summary, resources: resources, calls: calls)
    }
}

import AWSClient
import Foundation

/// Reads AWS Config in one region: recorders with their status, delivery channels, rules.
enum ConfigFetcher {
    static func setup(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> ConfigSetup {
        async let recorders = fetched { () async throws(FetchFailure) in
            try await context.json(.config, "DescribeConfigurationRecorders", region: region).0
        }
        async let statuses = fetched { () async throws(FetchFailure) in
            try await context.json(.config, "DescribeConfigurationRecorderStatus", region: region).0
        }
        async let channels = fetched { () async throws(FetchFailure) in
            try await context.json(.config, "DescribeDeliveryChannels", region: region).0
        }
        let (r, s, c) = await (recorders, statuses, channels)
        let status = Dictionary(
            (try s.get()["ConfigurationRecordersStatus"]?.elements ?? []).compactMap { entry in
                entry["name"]?.string.map { ($0, entry) }
            }, uniquingKeysWith: { a, _ in a })
        let list = (try r.get()["ConfigurationRecorders"]?.elements ?? []).map { entry in
            let name = entry["name"]?.string ?? ""
            let group = entry["recordingGroup"]
            return ConfigRecorder(
                name: name, allSupported: group?["allSupported"]?.bool ?? false,
                includeGlobalResourceTypes: group?["includeGlobalResourceTypes"]?.bool ?? false,
                recording: status[name]?["recording"]?.bool ?? false,
                lastStatus: status[name]?["lastStatus"]?.string)
        }
        return ConfigSetup(
            recorders: list,
            deliveryChannels: (try c.get()["DeliveryChannels"]?.elements ?? []).compactMap { $0["name"]?.string })
    }

    static func rules(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [ConfigRule] {
        let (pages, _) = try await context.jsonPages(.config, "DescribeConfigRules", region: region)
        return pages.flatMap { $0["ConfigRules"]?.elements ?? [] }.map { rule in
            var parameters: [String: String] = [:]
            if let text = rule["InputParameters"]?.string, let object = try? JSONValue.parse(Data(text.utf8)).object {
                for (key, value) in object { parameters[key] = value.string ?? value.description }
            }
            return ConfigRule(
                name: rule["ConfigRuleName"]?.string ?? "", owner: rule["Source"]?["Owner"]?.string ?? "",
                sourceIdentifier: rule["Source"]?["SourceIdentifier"]?.string ?? "",
                state: rule["ConfigRuleState"]?.string ?? "", inputParameters: parameters)
        }
    }
}

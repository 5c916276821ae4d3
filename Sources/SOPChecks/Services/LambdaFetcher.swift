import AWSClient
import Foundation

/// Reads the region's Lambda functions and the service principals allowed to invoke them.
enum LambdaFetcher {
    static func functions(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [LambdaFunction] {
        let (pages, depth) = try await context.restJSONPages(.lambda, "ListFunctions", region: region, followUps: 1)
        let functions = pages.flatMap { $0["Functions"]?.elements ?? [] }
        return try await concurrently(functions) { function throws(FetchFailure) in
            let name = function["FunctionName"]?.string ?? ""
            let principals = await fetched { () async throws(FetchFailure) -> [String] in
                try await recovering([], when: \.isNotFound) { () async throws(FetchFailure) -> [String] in
                    let (result, _) = try await context.restJSON(
                        .lambda, "GetPolicy", path: ["FunctionName": name],
                        region: region, after: depth)
                    return servicePrincipals(policy: result["Policy"]?.string ?? "")
                }
            }
            return LambdaFunction(name: name, arn: function["FunctionArn"]?.string ?? "", invokePrincipals: principals)
        }
    }

    /// The `Principal.Service` values of a resource policy's Allow statements.
    static func servicePrincipals(policy: String) -> [String] {
        guard let document = try? JSONValue.parse(Data(policy.utf8)) else { return [] }
        let statements = document["Statement"]?.array ?? (document["Statement"].map { [$0] } ?? [])
        return statements.filter { $0["Effect"]?.string == "Allow" }.flatMap { statement -> [String] in
            let service = statement["Principal"]?["Service"]
            if let one = service?.string { return [one] }
            return service?.elements.compactMap(\.string) ?? []
        }
    }
}

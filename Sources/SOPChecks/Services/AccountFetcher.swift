import AWSClient

/// Reads the account's alternate contacts (security, billing, operations).
enum AccountFetcher {
    static func alternateContacts(_ context: FetchContext) async throws(FetchFailure) -> AlternateContacts {
        let flags = try await concurrently(AlternateContacts.types) { type throws(FetchFailure) -> Bool in
            try await recovering(false, when: \.isNotFound) { () async throws(FetchFailure) -> Bool in
                let (result, _) = try await context.restJSON(
                    .account, "GetAlternateContact",
                    body: ["AlternateContactType": .string(type)], region: "us-east-1")
                return result["AlternateContact"]?["EmailAddress"]?.string?.isEmpty == false
            }
        }
        return AlternateContacts(Dictionary(uniqueKeysWithValues: zip(AlternateContacts.types, flags)))
    }
}

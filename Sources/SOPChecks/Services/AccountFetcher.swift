import AWSClient

/// Reads account-level settings: alternate contacts and S3 Block Public Access.
enum AccountFetcher {
    static let keys: Set<DataKey> = [.alternateContacts, .s3AccountPublicAccessBlock]

    static func fetch(_ keys: Set<DataKey>, region _: String, context: FetchContext) async -> [SnapshotPatch] {
        async let contacts: Fetched<AlternateContacts>? = keys.contains(.alternateContacts)
            ? fetched { () async throws(FetchFailure) in try await alternateContacts(context) } : nil
        async let block: Fetched<PublicAccessBlock?>? = keys.contains(.s3AccountPublicAccessBlock)
            ? fetched { () async throws(FetchFailure) in try await accountPublicAccessBlock(context) } : nil
        var patches: [SnapshotPatch] = []
        if let contacts = await contacts { patches.append { $0.alternateContacts = contacts } }
        if let block = await block { patches.append { $0.s3AccountPublicAccessBlock = block } }
        return patches
    }

    static func alternateContacts(_ context: FetchContext) async throws(FetchFailure) -> AlternateContacts {
        let flags = try await concurrently(AlternateContacts.types) { type throws(FetchFailure) -> Bool in
            try await recovering(false, when: \.isNotFound) { () async throws(FetchFailure) -> Bool in
                let (result, _) = try await context.restJSON(.account, "GetAlternateContact",
                                                             body: ["AlternateContactType": .string(type)], region: "us-east-1")
                return result["AlternateContact"]?["EmailAddress"]?.string?.isEmpty == false
            }
        }
        return AlternateContacts(Dictionary(uniqueKeysWithValues: zip(AlternateContacts.types, flags)))
    }

    static func accountPublicAccessBlock(_ context: FetchContext) async throws(FetchFailure) -> PublicAccessBlock? {
        do {
            let (result, _) = try await context.restXML(.s3control, "GetPublicAccessBlock", region: "us-east-1",
                                                        accountID: context.accountId)
            return PublicAccessBlock(xml: result)
        } catch where error.isNotFound {
            return nil
        }
    }
}

import AWSClient

/// Reads the account-level S3 Block Public Access configuration.
enum S3ControlFetcher {
    static func accountPublicAccessBlock(_ context: FetchContext) async throws(FetchFailure) -> PublicAccessBlock? {
        do {
            let (result, _) = try await context.restXML(
                .s3control, "GetPublicAccessBlock", region: "us-east-1",
                accountID: context.accountId)
            return PublicAccessBlock(xml: result)
        } catch  where error.isNotFound {
            return nil
        }
    }
}

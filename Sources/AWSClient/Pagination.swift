import Foundation

/// Names of a paginated operation's token: the request parameter and the response field.
public struct PageToken: Sendable, Equatable {
    /// Request parameter / query-string name (`Marker`, `NextToken`, `nextToken`, …).
    public var input: String
    /// Response element or field (`Marker`, `nextToken`, `NextMarker`, …).
    public var output: String

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    public static let marker = PageToken(input: "Marker", output: "Marker")
    public static let nextToken = PageToken(input: "NextToken", output: "NextToken")

    /// The usual token of a service (botocore's paginators agree for the operations we use).
    public static func `default`(for service: AWSService) -> PageToken {
        switch service {
        case .iam: .marker
        case .ec2: PageToken(input: "NextToken", output: "nextToken")
        case .logs: PageToken(input: "nextToken", output: "nextToken")
        case .tagging: PageToken(input: "PaginationToken", output: "PaginationToken")
        case .kms: PageToken(input: "Marker", output: "NextMarker")
        case .lambda: PageToken(input: "Marker", output: "NextMarker")
        case .guardduty, .backup: PageToken(input: "nextToken", output: "NextToken")
        case .s3: PageToken(input: "continuation-token", output: "ContinuationToken")
        default: .nextToken
        }
    }
}

extension AWSClient {
    /// Every page of a query/EC2 operation. Stops when the token is missing or empty, when
    /// `IsTruncated` is false, when a token repeats, or after `maxPages`.
    public func queryPages(
        _ service: AWSService, _ action: String, _ parameters: [String: String] = [:],
        region: String? = nil, token: PageToken? = nil, maxPages: Int = 1000
    ) async throws -> [XMLNode] {
        let token = token ?? .default(for: service)
        var pages: [XMLNode] = []
        var parameters = parameters
        var seen = Set<String>()
        while pages.count < maxPages {
            let page = try await query(service, action, parameters, region: region)
            pages.append(page)
            if page.first("IsTruncated")?.text.lowercased() == "false" { break }
            guard let next = page.first(token.output)?.text, !next.isEmpty, seen.insert(next).inserted else { break }
            parameters[token.input] = next
        }
        return pages
    }

    /// Every page of a JSON RPC operation (`body` must be an object or empty).
    public func jsonPages(
        _ service: AWSService, _ operation: String, _ body: JSONValue = [:],
        region: String? = nil, token: PageToken? = nil, maxPages: Int = 1000
    ) async throws -> [JSONValue] {
        let token = token ?? .default(for: service)
        var pages: [JSONValue] = []
        var request = body.object ?? [:]
        var seen = Set<String>()
        while pages.count < maxPages {
            let page = try await json(service, operation, .object(request), region: region)
            pages.append(page)
            if page["Truncated"]?.bool == false { break }
            guard let next = page[token.output]?.string, !next.isEmpty, seen.insert(next).inserted else { break }
            request[token.input] = .string(next)
        }
        return pages
    }

    /// Every page of a REST-JSON operation (token in the query string; response field matched
    /// case-insensitively, since GuardDuty says `nextToken` and Backup `NextToken`).
    public func restJSONPages(
        _ service: AWSService, _ operation: String, path: [String: String] = [:],
        query: [String: String] = [:], region: String? = nil, token: PageToken? = nil,
        maxPages: Int = 1000
    ) async throws -> [JSONValue] {
        let token = token ?? .default(for: service)
        var pages: [JSONValue] = []
        var query = query
        var seen = Set<String>()
        while pages.count < maxPages {
            let page = try await restJSON(service, operation, path: path, query: query, region: region)
            pages.append(page)
            let next = page.object?.first { $0.key.lowercased() == token.output.lowercased() }?.value.string
            guard let next, !next.isEmpty, seen.insert(next).inserted else { break }
            query[token.input] = next
        }
        return pages
    }
}

import Foundation

extension AWSClient {
    /// An `Action=…&Version=…` call (IAM, STS, SNS: query; EC2: ec2 protocol).
    ///
    /// `parameters` are the flattened query parameters (`Filter.1.Name`, `AssignmentStatus`, …).
    /// Returns the `<ActionResult>` element for query services, the response root for EC2.
    public func query(
        _ service: AWSService, _ action: String, _ parameters: [String: String] = [:],
        region: String? = nil
    ) async throws -> XMLNode {
        guard service.wireProtocol == .query || service.wireProtocol == .ec2 else {
            throw AWSError.configuration("\(service.clientName) does not speak the query protocol")
        }
        return try await perform(
            service, action, region: region,
            build: { _, endpoint in
                let pairs =
                    [("Action", action), ("Version", service.apiVersion)]
                    + parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                return HTTPRequest(
                    method: "POST", url: try Self.url(endpoint, path: "/", query: ""),
                    headers: ["content-type": "application/x-www-form-urlencoded; charset=utf-8"],
                    body: Data(PercentEncoding.query(pairs).utf8))
            },
            decode: { response in
                let root = try XMLNode.parse(response.body)
                if service.wireProtocol == .ec2 { return root }
                return root["\(action)Result"] ?? root
            })
    }

    /// A JSON 1.0/1.1 RPC call (`X-Amz-Target: <prefix>.<operation>`). An empty body returns `{}`.
    public func json(
        _ service: AWSService, _ operation: String, _ body: JSONValue = [:],
        region: String? = nil
    ) async throws -> JSONValue {
        guard service.wireProtocol == .json, let prefix = service.targetPrefix else {
            throw AWSError.configuration("\(service.clientName) does not speak the JSON protocol")
        }
        return try await perform(
            service, operation, region: region,
            build: { _, endpoint in
                HTTPRequest(
                    method: "POST", url: try Self.url(endpoint, path: "/", query: ""),
                    headers: [
                        "content-type": "application/x-amz-json-\(service.jsonVersion)",
                        "x-amz-target": "\(prefix).\(operation)",
                    ],
                    body: body.encoded())
            }, decode: Self.decodeJSON)
    }

    /// A REST-JSON call. The method and path template come from the allowlist; `path` fills its
    /// `{Name}` labels, `query` adds query parameters, `body` (if any) is sent as JSON.
    public func restJSON(
        _ service: AWSService, _ operation: String, path: [String: String] = [:],
        query: [String: String] = [:], body: JSONValue? = nil,
        region: String? = nil
    ) async throws -> JSONValue {
        guard service.wireProtocol == .restJSON else {
            throw AWSError.configuration("\(service.clientName) does not speak REST-JSON")
        }
        return try await perform(
            service, operation, region: region,
            build: { allowed, endpoint in
                try Self.restRequest(service, allowed, endpoint, path: path, query: query, body: body)
            }, decode: Self.decodeJSON)
    }

    /// A REST-XML call (S3, S3 Control). S3 takes the bucket as `path: ["Bucket": name]`;
    /// S3 Control needs `accountID`. An empty body returns an element named `""`.
    /// S3's GetBucketPolicy answers JSON, not XML: use `restRaw` for it.
    public func restXML(
        _ service: AWSService, _ operation: String, path: [String: String] = [:],
        query: [String: String] = [:], region: String? = nil,
        accountID: String? = nil
    ) async throws -> XMLNode {
        try await restRaw(
            service, operation, path: path, query: query, region: region, accountID: accountID,
            decode: { response in
                response.body.isEmpty ? XMLNode(name: "") : try XMLNode.parse(response.body)
            })
    }

    /// A REST call whose 2xx body is handed to `decode` inside the retry loop (a throwing
    /// `decode` counts as an unreadable response and is retried).
    public func restRaw<T: Sendable>(
        _ service: AWSService, _ operation: String, path: [String: String] = [:],
        query: [String: String] = [:], body: JSONValue? = nil, region: String? = nil,
        accountID: String? = nil,
        decode: @escaping @Sendable (HTTPResponse) throws -> T
    ) async throws -> T {
        guard service.wireProtocol == .restJSON || service.wireProtocol == .restXML else {
            throw AWSError.configuration("\(service.clientName) is not a REST service")
        }
        if service == .s3control && accountID == nil {
            throw AWSError.configuration("s3control:\(operation) needs an account id")
        }
        return try await perform(
            service, operation, region: region, accountID: accountID,
            build: { allowed, endpoint in
                var request = try Self.restRequest(service, allowed, endpoint, path: path, query: query, body: body)
                if service == .s3control, let accountID { request.headers["x-amz-account-id"] = accountID }
                return request
            }, decode: decode)
    }

    static func decodeJSON(_ response: HTTPResponse) throws -> JSONValue {
        let isBlank = response.body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return isBlank ? [:] : try JSONValue.parse(response.body)
    }

    static func restRequest(
        _ service: AWSService, _ allowed: AllowedOperation, _ endpoint: Endpoint,
        path labels: [String: String], query: [String: String], body: JSONValue?
    ) throws -> HTTPRequest {
        guard let route = allowed.route else {
            throw AWSError.configuration("\(allowed.id) has no REST route")
        }
        var path = ""
        var host: String?
        var rest = Substring(route.path)
        while let open = rest.firstIndex(of: "{") {
            path += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = labels[name], !value.isEmpty else {
                throw AWSError.configuration("\(allowed.id) needs path parameter \(name)")
            }
            path += PercentEncoding.encode(value)
            rest = rest[rest.index(after: close)...]
        }
        path += rest
        // S3: virtual-hosted style on AWS for DNS-safe names; path-style for overrides (moto) and dotted names.
        if service == .s3, let bucket = labels["Bucket"], !endpoint.isOverride, isVirtualHostable(bucket),
            let endpointHost = endpoint.url.host
        {
            host = "\(bucket).\(endpointHost)"
            path = String(path.dropFirst(1 + PercentEncoding.encode(bucket).count))
            if path.isEmpty { path = "/" }
        }
        var pairs = query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let subresource = route.subresource { pairs.insert((subresource, ""), at: 0) }
        let queryString = PercentEncoding.query(pairs, bareEmptyValues: true)
        var headers: [String: String] = [:]
        var data = Data()
        if let body {
            headers["content-type"] = "application/json"
            data = body.encoded()
        }
        return HTTPRequest(
            method: route.method, url: try url(endpoint, host: host, path: path, query: queryString),
            headers: headers, body: data)
    }

    /// Lower-case letters, digits and hyphens, 3–63 characters, no dots (TLS wildcard certificates).
    static func isVirtualHostable(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.count), !bucket.hasPrefix("-"), !bucket.hasSuffix("-") else { return false }
        return bucket.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }
}

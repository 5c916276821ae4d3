import Foundation

/// Turns a non-2xx response into an `AWSError`, whatever the body holds.
///
/// Content-Type is never trusted (moto labels JSON as `text/html`, Documentation/aws-checks.md §3.3), and auth
/// failures arrive as XML even from JSON services (§3.4), so every shape is tried on every
/// protocol: JSON `__type`/`code` + `message`/`Message`, XML `<Error><Code>`, then the
/// `x-amzn-errortype` / `x-amzn-query-error` headers; anything else (moto's HTML pages, a
/// proxy's error page, garbage) becomes a short synthetic code.
enum ErrorParser {
    static func error(from response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        var code: String?
        var message: String?
        var requestID =
            response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
            ?? response.headers["x-amzn-request-id"]
        let restProtocol = service.wireProtocol == .restJSON || service.wireProtocol == .restXML
        let headerType = response.headers["x-amzn-errortype"].map {
            cleanCode(String($0.split(separator: ":").first ?? ""))
        }
        let queryError = response.headers["x-amzn-query-error"].map { String($0.split(separator: ";").first ?? "") }

        let trimmedBody = response.body.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        if trimmedBody.first == UInt8(ascii: "{"), let json = try? JSONValue.parse(response.body) {
            let bodyCode = (json["__type"]?.string ?? json["code"]?.string ?? json["Code"]?.string).map(cleanCode)
            code = restProtocol ? (headerType ?? bodyCode) : (queryError ?? bodyCode ?? headerType)
            message = json["message"]?.string ?? json["Message"]?.string ?? json["errorMessage"]?.string
        } else if trimmedBody.first == UInt8(ascii: "<"), !looksLikeHTML(response.body),
            let xml = try? XMLNode.parse(response.body)
        {
            let error = xml.first("Error") ?? xml
            code = error.string("Code").map(cleanCode)
            message = error.string("Message") ?? error.string("message")
            requestID = requestID ?? xml.first("RequestId")?.text ?? xml.first("RequestID")?.text
        }
        if code == nil || code?.isEmpty == true { code = headerType ?? queryError }

        guard let code, !code.isEmpty else {
            return synthetic(response, service: service, operation: operation, requestID: requestID)
        }
        return AWSError(
            kind: AWSError.classify(code: code, status: response.status), service: service.clientName,
            operation: operation, status: response.status, code: code,
            message: shorten(message ?? ""), requestID: requestID)
    }

    /// An error for a body with no AWS error shape. moto answers operations it lacks with
    /// Werkzeug's generic HTML 500 page, and REST paths it has no route for with an HTML 404:
    /// both mean "not implemented here", and retrying them only wastes time.
    static func synthetic(
        _ response: HTTPResponse, service: AWSService, operation: String,
        requestID: String?
    ) -> AWSError {
        let html = looksLikeHTML(response.body)
        let status = response.status
        let summary = html ? htmlSummary(response.text) : shorten(response.text)
        let kind: AWSError.Kind
        let code: String
        switch status {
        case 500 where html:
            (kind, code) = (.notImplemented, "NotImplemented")
        case 404 where html || response.body.isEmpty:
            (kind, code) = (.notImplemented, "UnknownOperation")
        case 429:
            (kind, code) = (.throttling, "TooManyRequests")
        case 401:
            (kind, code) = (.authFailure, "Unauthorized")
        case 403:
            (kind, code) = (.accessDenied, "Forbidden")
        case 404:
            (kind, code) = (.notFound, "NotFound")
        case 500...599 where !response.body.isEmpty && !html:
            (kind, code) = (.invalidResponse, "HTTP\(status)")
        default:
            (kind, code) = (.service, "HTTP\(status)")
        }
        let message = summary.isEmpty ? "HTTP \(status) with an empty body" : summary
        return AWSError(
            kind: kind, service: service.clientName, operation: operation, status: status,
            code: code, message: html ? "HTML error page: \(message)" : message, requestID: requestID)
    }

    /// `prefix#Code` and `Code:http://…` (REST header form) → `Code`.
    static func cleanCode(_ raw: String) -> String {
        var code = raw.trimmingCharacters(in: .whitespaces)
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        return code
    }

    static func looksLikeHTML(_ body: Data) -> Bool {
        let head = String(decoding: body.prefix(256), as: UTF8.self).lowercased()
        return head.contains("<!doctype html") || head.contains("<html")
    }

    /// The `<title>` or the first `<h1>` of an HTML page, else its first text.
    static func htmlSummary(_ html: String) -> String {
        for tag in ["title", "h1"] {
            if let open = html.range(of: "<\(tag)>", options: .caseInsensitive),
                let close = html.range(
                    of: "</\(tag)>", options: .caseInsensitive, range: open.upperBound..<html.endIndex)
            {
                return shorten(String(html[open.upperBound..<close.lowerBound]))
            }
        }
        return shorten(html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression))
    }

    /// One line, at most 200 characters.
    static func shorten(_ text: String) -> String {
        let oneLine = text.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine
    }
}

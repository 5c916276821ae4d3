import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// The fields of a posted form, URL-encoded or multipart, with at most one file.
struct FormFields: Sendable {
    struct File: Sendable {
        var name: String
        var mediaType: String?
        var data: Data
    }

    var values: [String: String] = [:]
    var file: File?

    subscript(_ name: String) -> String? { values[name] }

    /// A field's value with surrounding whitespace trimmed, nil when missing or empty.
    func text(_ name: String) -> String? {
        let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines)
        return value?.isEmpty == false ? value : nil
    }

    /// The request's form, its body read up to `limit` bytes (413 beyond).
    static func read(_ request: Request, limit: Int) async throws -> FormFields {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HTTPError(.contentTooLarge, message: "refused: the request is larger than \(limit / 1024 / 1024) MB")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "refused: the request is larger than \(limit / 1024 / 1024) MB")
        }
        let type = request.headers[.contentType] ?? ""
        if type.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = parameter("boundary", in: type) else {
                throw HTTPError(.badRequest, message: "the upload has no multipart boundary")
            }
            return try multipart(body, boundary: boundary)
        }
        guard type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(
                .unsupportedMediaType, message: "send a form (application/x-www-form-urlencoded or multipart/form-data)"
            )
        }
        return FormFields(values: urlEncoded(String(buffer: body)))
    }

    /// `a=1&b=x+y` as a dictionary; a repeated name keeps its first value.
    static func urlEncoded(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
        return values
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Percent-encodes everything but unreserved characters (for a `next=` parameter).
    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A `key=value` parameter of a header value (`boundary`, `name`, `filename`), quotes removed.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    /// Parses a multipart body with MultipartKit's parser: text parts become values, the part
    /// with a file name becomes ``file`` (a second file is refused).
    static func multipart(_ body: ByteBuffer, boundary: String) throws -> FormFields {
        final class Collector {
            var fields = FormFields()
            var headers: [String: String] = [:]
            var data = Data()
            var problem: String?
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { buffer in collector.data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            defer {
                collector.headers = [:]
                collector.data = Data()
            }
            let disposition = collector.headers["content-disposition"] ?? ""
            guard let name = parameter("name", in: disposition) else { return }
            if let fileName = parameter("filename", in: disposition) {
                guard !fileName.isEmpty else { return }  // a file input left empty
                guard collector.fields.file == nil else {
                    collector.problem = "give one file per upload"
                    return
                }
                collector.fields.file = File(
                    name: fileName, mediaType: collector.headers["content-type"], data: collector.data)
            } else if collector.fields.values[name] == nil {
                collector.fields.values[name] = String(decoding: collector.data, as: UTF8.self)
            }
        }
        do {
            try parser.execute(body)
        } catch {
            throw HTTPError(.badRequest, message: "the upload is not a valid multipart form")
        }
        if let problem = collector.problem { throw HTTPError(.badRequest, message: problem) }
        return collector.fields
    }
}

import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A MediaWiki Action API error, with the API's code kept for the retry logic.
public struct MediaWikiError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var info: String

    public init(code: String, info: String) {
        self.code = code
        self.info = UserText.line(info)
    }

    public var description: String {
        switch code {
        case "editconflict":
            return
                "edit conflict: someone else changed the page while publishing; run publish again to overwrite with the tracker's state"
        case "permissiondenied", "protectedpage", "cascadeprotected", "readapidenied", "writeapidenied",
            "mwoauth-invalid-authorization", "badaccess-groups":
            return
                "permission denied by the wiki (\(code)): the bot password needs the editpage, createeditmovepage and uploadfile grants"
        case "assertuserfailed", "assertbotfailed":
            return "the wiki session was lost and logging in again did not help (\(code))"
        case "badtoken":
            return "the wiki rejected the edit token twice (badtoken)"
        case "ratelimited":
            return "the wiki rate-limited the bot (ratelimited); try again later"
        case "maxlag":
            return "the wiki is lagging (maxlag); try again later"
        case "login":
            return "login failed: \(info)"
        case "http":
            return info
        default:
            return "the wiki refused the request (\(code)): \(info)"
        }
    }
}

/// A logged-in conversation with one wiki's `api.php`.
///
/// One ephemeral `URLSession` keeps the session cookies; nothing is written to disk. The
/// password is only ever sent in the login POST body and never appears in errors.
public actor MediaWikiClient {
    public let apiURL: URL
    let session: URLSession
    var csrfToken: String?
    /// Requests made (for tests and `--verbose`).
    public private(set) var requests = 0

    public init(apiURL: URL) {
        self.apiURL = apiURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.httpCookieAcceptPolicy = .always
        configuration.httpShouldSetCookies = true
        session = URLSession(configuration: configuration)
    }

    // MARK: Requests

    typealias JSON = [String: Any]

    /// GET with query parameters; `format=json&formatversion=2` added.
    func get(_ parameters: [(String, String)]) async throws -> JSON {
        var components = URLComponents(url: apiURL, resolvingAgainstBaseURL: false)
        components?.percentEncodedQuery = Self.formEncode(parameters + [("format", "json"), ("formatversion", "2")])
        guard let url = components?.url else { throw MediaWikiError(code: "http", info: "bad API URL \(apiURL)") }
        return try await send(URLRequest(url: url))
    }

    /// POST as `application/x-www-form-urlencoded`.
    func post(_ parameters: [(String, String)]) async throws -> JSON {
        var request = URLRequest(url: apiURL)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(Self.formEncode(parameters + [("format", "json"), ("formatversion", "2")]).utf8)
        return try await send(request)
    }

    /// POST as `multipart/form-data`, for uploads.
    func postMultipart(_ parameters: [(String, String)], file: (field: String, name: String, type: String, data: Data))
        async throws -> JSON
    {
        let boundary = "sop-\(UUID().uuidString)"
        var body = Data()
        for (key, value) in parameters + [("format", "json"), ("formatversion", "2")] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n".utf8))
            body.append(Data(value.utf8))
            body.append(Data("\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                    .utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: apiURL)
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return try await send(request)
    }

    func send(_ request: URLRequest) async throws -> JSON {
        var request = request
        request.setValue("sop (https://example.invalid/sop)", forHTTPHeaderField: "User-Agent")
        requests += 1
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw MediaWikiError(
                code: "http", info: "cannot reach \(apiURL.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw MediaWikiError(code: "http", info: "\(apiURL.absoluteString) answered HTTP \(status)")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? JSON else {
            throw MediaWikiError(
                code: "http", info: "\(apiURL.absoluteString) did not answer with JSON (is it the api.php URL?)")
        }
        if let error = json["error"] as? JSON {
            throw MediaWikiError(code: error["code"] as? String ?? "unknown", info: error["info"] as? String ?? "")
        }
        return json
    }

    static func formEncode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.map { key, value in
            let k = key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
            let v = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            return "\(k)=\(v)"
        }.joined(separator: "&")
    }

    // MARK: Session

    /// Logs in with a bot password (`User@BotName`) and fetches a CSRF token.
    public func login(user: String, password: String) async throws {
        let tokens = try await get([("action", "query"), ("meta", "tokens"), ("type", "login")])
        guard let loginToken = ((tokens["query"] as? JSON)?["tokens"] as? JSON)?["logintoken"] as? String else {
            throw MediaWikiError(code: "login", info: "the wiki gave no login token")
        }
        let result = try await post([
            ("action", "login"), ("lgname", user), ("lgpassword", password), ("lgtoken", loginToken),
        ])
        let login = result["login"] as? JSON
        guard login?["result"] as? String == "Success" else {
            let reason = login?["reason"] as? String ?? login?["result"] as? String ?? "unknown reason"
            throw MediaWikiError(code: "login", info: "\(user): \(reason)")
        }
        try await refreshToken()
    }

    /// Fetches a fresh CSRF token.
    public func refreshToken() async throws {
        let tokens = try await get([("action", "query"), ("meta", "tokens")])
        guard let token = ((tokens["query"] as? JSON)?["tokens"] as? JSON)?["csrftoken"] as? String, token != "+\\"
        else {
            throw MediaWikiError(code: "assertuserfailed", info: "not logged in")
        }
        csrfToken = token
    }

    /// Replaces the CSRF token (tests use this to exercise the `badtoken` path).
    public func setToken(_ token: String) { csrfToken = token }

    /// Logs out, ending the session on the server (tests use this for `assertuserfailed`).
    public func logout() async throws {
        _ = try await post([("action", "logout"), ("token", csrfToken ?? "")])
        csrfToken = nil
    }

    // MARK: Pages and files

    /// The current text and revision of a page, or nil when it does not exist.
    public func page(_ title: String) async throws -> (text: String, revision: Int, timestamp: String)? {
        let json = try await get([
            ("action", "query"), ("prop", "revisions"), ("titles", title),
            ("rvslots", "main"), ("rvprop", "content|ids|timestamp"),
        ])
        guard let pages = (json["query"] as? JSON)?["pages"] as? [JSON], let page = pages.first,
            page["missing"] == nil, let revision = (page["revisions"] as? [JSON])?.first
        else { return nil }
        let content = ((revision["slots"] as? JSON)?["main"] as? JSON)?["content"] as? String ?? ""
        return (content, revision["revid"] as? Int ?? 0, revision["timestamp"] as? String ?? "")
    }

    /// The SHA-1 of a file's current version, or nil when there is none.
    public func fileSHA1(_ name: String) async throws -> String? {
        let json = try await get([
            ("action", "query"), ("prop", "imageinfo"), ("titles", "File:\(name)"), ("iiprop", "sha1"),
        ])
        guard let pages = (json["query"] as? JSON)?["pages"] as? [JSON], let page = pages.first,
            let info = (page["imageinfo"] as? [JSON])?.first
        else { return nil }
        return info["sha1"] as? String
    }

    /// The categories a saved page ended up in (user text must never add one).
    public func categories(_ title: String) async throws -> [String] {
        let json = try await get([("action", "query"), ("prop", "categories|templates"), ("titles", title)])
        guard let pages = (json["query"] as? JSON)?["pages"] as? [JSON], let page = pages.first else { return [] }
        let categories = (page["categories"] as? [JSON] ?? []).compactMap { $0["title"] as? String }
        let templates = (page["templates"] as? [JSON] ?? []).compactMap { $0["title"] as? String }
        return categories + templates
    }

    /// The canonical URL of a page.
    public func pageURL(_ title: String) async throws -> String? {
        let json = try await get([("action", "query"), ("prop", "info"), ("inprop", "url"), ("titles", title)])
        guard let pages = (json["query"] as? JSON)?["pages"] as? [JSON] else { return nil }
        return pages.first?["fullurl"] as? String
    }

    /// Saves page text; returns true when the wiki changed, false for `nochange`.
    func edit(title: String, text: String, summary: String, baseRevision: Int?) async throws -> Bool {
        var parameters: [(String, String)] = [
            ("action", "edit"), ("title", title), ("text", text), ("summary", summary), ("bot", "1"),
            ("assert", "user"), ("contentmodel", "wikitext"),
        ]
        if let baseRevision, baseRevision > 0 { parameters.append(("baserevid", String(baseRevision))) }
        parameters.append(("token", csrfToken ?? ""))
        let json = try await post(parameters)
        guard let edit = json["edit"] as? JSON, edit["result"] as? String == "Success" else {
            let edit = json["edit"] as? JSON
            throw MediaWikiError(code: edit?["result"] as? String ?? "unknown", info: "edit was not saved")
        }
        return edit["nochange"] == nil
    }

    /// Uploads a file; returns false when the wiki already had identical bytes.
    func upload(name: String, data: Data, mediaType: String, comment: String) async throws -> Bool {
        let parameters: [(String, String)] = [
            ("action", "upload"), ("filename", name), ("comment", comment), ("ignorewarnings", "1"),
            ("assert", "user"), ("token", csrfToken ?? ""),
        ]
        do {
            let json = try await postMultipart(parameters, file: ("file", name, mediaType, data))
            let upload = json["upload"] as? JSON
            if upload?["result"] as? String == "Success" { return true }
            if let warnings = upload?["warnings"] as? JSON,
                warnings["nochange"] != nil || warnings["exists-no-change"] != nil
            {
                return false
            }
            throw MediaWikiError(
                code: upload?["result"] as? String ?? "unknown", info: "upload of \(name) was not saved")
        } catch let error as MediaWikiError where error.code == "fileexists-no-change" {
            return false
        }
    }
}

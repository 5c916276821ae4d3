import SOPRender
import Testing

/// The one-line messages users see for the Action API errors that stop a publish.
@Suite struct MediaWikiErrorTests {
    @Test(arguments: [
        ("editconflict", "edit conflict"),
        ("permissiondenied", "permission denied"),
        ("readapidenied", "permission denied"),
        ("protectedpage", "permission denied"),
        ("ratelimited", "rate-limited"),
        ("maxlag", "lagging"),
        ("badtoken", "token"),
        ("assertuserfailed", "session was lost"),
        ("something-new", "refused the request (something-new)"),
    ])
    func messages(_ code: String, _ expected: String) {
        let error = MediaWikiError(code: code, info: "line one\nline two")
        #expect(error.description.contains(expected))
        #expect(!error.description.contains("\n"))
    }
}

import CCmark
import Foundation
import SOPRender
import Testing

/// The hostile corpus (markup, scripts, wiki syntax, control characters), pushed through every output: handover.md,
/// handover.html (both audiences), every site page, and the wikitext page.
@Suite struct EscapingTests {
    static let corpus: [String] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "{{template}}",
        "[[Category:x]]",
        "</textarea><script>alert(2)</script>",
        "NUL\u{0000}byte",
        "\u{202E}fdp.exe",
        "~~~~ signed __TOC__ __NOINDEX__",
        "# heading\n* list\n: indent\n; term\n----\n== h ==",
        "| cell || ! header\n|-\n{| class=x\n|}",
        "'''bold''' ''italic''",
        "[x](javascript:alert(1)) ![i](x\" onerror=\"alert(1))",
        "<!-- comment --><a href=\"javascript:alert(1)\">x</a>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "data:text/html,<script>alert(1)</script>",
        "<svg/onload=alert(1)>",
        "line1\r\nline2\u{2028}line3",
        "`code` **bold** _em_ \\ backslash",
        String(repeating: "A", count: 10_000),
    ]

    static func hostileReport(_ s: String) -> CustomerReportView {
        Fixtures.report(name: s, note: s, reason: s, fileName: s + ".pdf", by: s, link: s, resource: s)
    }

    // MARK: Checks

    /// Tags we emit ourselves (and cmark's comment for omitted raw HTML).
    static let allowedTags: Set<String> = [
        "!doctype", "html", "head", "meta", "title", "style", "link", "body", "main", "nav", "section", "div", "span",
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "code", "strong", "em", "ul", "ol", "li", "table", "thead",
        "tbody",
        "tr", "th", "td", "dl", "dt", "dd", "br", "footer", "details", "summary", "pre", "blockquote", "hr", "small",
    ]

    /// Every tag in `html` is one we emit, has no event-handler attribute and no dangerous URL.
    static func htmlProblems(_ html: String) -> [String] {
        var problems: [String] = []
        if html.contains("\u{0000}") { problems.append("NUL byte") }
        if html.contains("\u{202E}") { problems.append("right-to-left override") }
        var index = html.startIndex
        while let open = html[index...].firstIndex(of: "<") {
            guard let close = html[open...].firstIndex(of: ">") else {
                problems.append("unclosed tag at \(html.distance(from: html.startIndex, to: open))")
                break
            }
            let tag = String(html[html.index(after: open)..<close])
            index = html.index(after: close)
            if tag == "!-- raw HTML omitted --" { continue }
            let name = tag.drop { $0 == "/" }.prefix { !$0.isWhitespace && $0 != "/" }.lowercased()
            if !allowedTags.contains(name) { problems.append("tag <\(tag.prefix(40))>") }
            let lower = tag.lowercased()
            if lower.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) != nil {
                problems.append("event handler in <\(tag.prefix(60))>")
            }
            for scheme in ["javascript:", "vbscript:", "data:"]
            where lower.contains("href=\"\(scheme)") || lower.contains("src=") {
                problems.append("dangerous URL in <\(tag.prefix(60))>")
            }
        }
        return problems
    }

    /// Markdown as a permissive viewer would show it (cmark with raw HTML allowed).
    static func unsafeRender(_ markdown: String) -> String {
        var text = markdown
        let rendered: UnsafeMutablePointer<CChar>? = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_markdown_to_html(chars.baseAddress, chars.count, CMARK_OPT_UNSAFE)
            }
        }
        guard let rendered else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    static func wikitextProblems(_ text: String) -> [String] {
        var problems: [String] = []
        if text.contains("{{") { problems.append("template call {{") }
        var rest = Substring(text)
        while let r = rest.range(of: "[[") {
            if !rest[r.upperBound...].hasPrefix("Media:SOP-") {
                problems.append("link [[\(rest[r.upperBound...].prefix(30))")
            }
            rest = rest[r.upperBound...]
        }
        for bad in [
            "~~~", "__TOC__", "__NOINDEX__", "<script", "</textarea", "<img", "<svg", "<a ", "<!--", "javascript:",
            "\u{0000}", "\u{202E}",
        ]
        where text.lowercased().contains(bad.lowercased()) {
            problems.append("raw \(bad)")
        }
        if let tags = try? Regex(#"<\s*/?\s*([a-zA-Z]+)"#) {
            for match in text.matches(of: tags) {
                let name = String(text[match.range]).lowercased().filter { $0.isLetter }
                if !["code", "br", "small"].contains(name) { problems.append("tag \(name)") }
            }
        }
        for line in text.split(separator: "\n") {
            // Our lines only: headings, table syntax, our bullets and the italic intro.
            guard let first = line.first else { continue }
            if "*#:;".contains(first) && !line.hasPrefix("* Progress") && !line.hasPrefix("* In progress")
                && !line.hasPrefix("* Open items") && !line.hasPrefix("* <code>")
            {
                problems.append("line starts with \(first): \(line.prefix(40))")
            }
        }
        return problems
    }

    // MARK: Tests

    @Test(arguments: corpus.indices)
    func handoverOutputsStaySafe(_ index: Int) {
        let s = Self.corpus[index]
        let report = Self.hostileReport(s)
        for audience in Audience.allCases {
            let visible = report.visible(to: audience)
            let context = HandoverContext(
                report: report, audience: audience, date: Fixtures.now, preparedBy: s,
                evidencePaths: HandoverPacket.evidencePaths(visible))
            let html = HandoverHTML(context: context).render()
            #expect(Self.htmlProblems(html).isEmpty, "handover.html (\(audience)): \(Self.htmlProblems(html))")
            let markdown = HandoverMarkdown(context: context).render()
            let viewed = Self.unsafeRender(markdown)
            #expect(Self.htmlProblems(viewed).isEmpty, "handover.md viewed (\(audience)): \(Self.htmlProblems(viewed))")
            #expect(!markdown.contains("\u{0000}") && !markdown.contains("\u{202E}"))
        }
    }

    @Test(arguments: corpus.indices)
    func sitePagesStaySafe(_ index: Int) throws {
        let s = Self.corpus[index]
        var report = Self.hostileReport(s)
        report.customer.slug = s
        report.activity.append(ActivityEntry(at: Fixtures.now, customer: s, actor: s, action: s, detail: s))
        let files = try SiteBuilder(input: Fixtures.siteInput([report])).render()
        #expect(files.count == 5)
        for (path, content) in files where path.hasSuffix(".html") {
            #expect(Self.htmlProblems(content).isEmpty, "\(path): \(Self.htmlProblems(content))")
        }
        for path in files.keys {
            #expect(
                !path.contains("..") && !path.hasPrefix("/") && path.utf8.count < 200,
                "unsafe site path \(path.prefix(80))")
        }
    }

    @Test(arguments: corpus.indices)
    func wikitextStaysSafe(_ index: Int) {
        let s = Self.corpus[index]
        let text = WikitextPage(report: Self.hostileReport(s), date: Fixtures.now, files: ["E3": "SOP-acme-x.pdf"])
            .render()
        #expect(Self.wikitextProblems(text).isEmpty, "\(Self.wikitextProblems(text))")
        let title = WikitextPage.title(for: Self.hostileReport(s).customer)
        #expect(!title.contains { "#<>[]|{}".contains($0) } && title.utf8.count <= 210)
    }

    @Test func hostileLinksAreTextNotLinks() {
        for url in [
            "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,x",
            "file:///etc/passwd",
            "vbscript:x", "//evil.example", "http:alert(1)", "mailto:",
        ] {
            #expect(SafeLink.url(url) == nil, "\(url) must not become a link")
        }
        #expect(SafeLink.url("https://example.com/a b\"c") == "https://example.com/a%20b%22c")
        #expect(SafeLink.url("mailto:ops@example.com") == "mailto:ops@example.com")
        #expect(!HTMLEscaper.link("x", url: "javascript:alert(1)").contains("href"))
        #expect(!MarkdownEscaper.link("x", url: "javascript:alert(1)").contains("]("))
        #expect(!WikitextEscaper.link("x", url: "javascript:alert(1)").contains("["))
    }

    @Test func markdownEscapingRoundTripsThroughCmark() {
        // What a user typed comes back as the same visible text, with no markup.
        for s in [
            "*not em*", "# not heading", "1. not a list", "<b>x</b>", "a | b", "[l](u)", "&amp;", "`c`", "- dash",
            "+ plus", "> quote",
        ] {
            let html = SafeMarkdown.html(MarkdownEscaper.inline(s))
            #expect(html == "<p>\(HTMLEscaper.escape(s))</p>\n", "\(s) → \(html)")
        }
    }

    @Test func userTextCleaning() {
        #expect(UserText.line("a\u{0000}b\u{202E}c\r\nd\te") == "ab\u{FFFD}c d e")
        #expect(UserText.lines("\n\n x \r\n y \n\n") == ["x", "y"])
        #expect(FileNames.sanitize("../../etc/passwd") == "etc_passwd")
        #expect(FileNames.sanitize("\u{202E}fdp.exe") == "fdp.exe")
        #expect(FileNames.sanitize(String(repeating: "x", count: 10_000) + ".pdf").count == 100)
        #expect(FileNames.sanitize(String(repeating: "x", count: 10_000) + ".pdf").hasSuffix(".pdf"))
        #expect(FileNames.sanitize("") == "file")
        #expect(FileNames.unique("a.pdf", taken: ["a.pdf", "a-2.pdf"]) == "a-3.pdf")
    }
}

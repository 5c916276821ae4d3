import Foundation
import SOPCore
import SOPRender

/// The frame of every page `sop serve` renders: the site's theme, the navigation for who is
/// signed in, a one-time notice, no script anywhere.
///
/// Every piece of text from the tracker goes through ``h(_:)`` (the site's escaping rules:
/// control and bidi characters cleaned, the five HTML characters escaped); structure is
/// written here, never taken from data.
enum Layout {
    /// Stands for the session's form token in a cached page; replaced when the page is sent.
    /// Control characters never survive the escaping, so no tracker text can contain it.
    static let formTokenMark = "\u{1}form-token\u{1}"

    /// The hidden field every form of a signed-in page carries.
    static let formToken = "<input type=\"hidden\" name=\"csrf\" value=\"\(formTokenMark)\">"

    static func document(title: String, principal: Principal?, notice: SessionStore.Notice? = nil, body: String)
        -> String
    {
        var nav = ""
        switch principal {
        case .member(let name, let roles)?:
            nav = """
                <nav class="top"><a href="/">Portfolio</a><a href="/activity">Activity</a>\
                <a href="/templates">Templates</a>\
                <span class="who">\(h(name)) · \(h(roles.joined(separator: ", ")))</span>\
                <form method="post" action="/signout" class="signout">\(formToken)<button>Sign out</button></form></nav>
                """
        case .stakeholder(_, let role, let email, _)?:
            nav = """
                <nav class="top"><a href="/portal">Your onboarding</a>\
                <span class="who">\(h(email)) · \(h(role))</span>\
                <form method="post" action="/signout" class="signout">\(formToken)<button>Sign out</button></form></nav>
                """
        case nil: break
        }
        let banner =
            notice.map {
                "<p class=\"notice\($0.isError ? " error" : "")\" role=\"status\">\(h($0.text))</p>"
            } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(title)) · sop</title><link rel="stylesheet" href="/static/sop.css"></head>
            <body>\(nav)<main>\(banner)
            \(body)
            </main></body></html>
            """
    }

    /// Tracker text as HTML (one line).
    static func h(_ text: String) -> String { HTMLEscaper.text(text) }

    /// Tracker text as HTML, line breaks kept.
    static func block(_ text: String) -> String { HTMLEscaper.block(text) }

    /// A status badge (`done`, `in-progress`, `n/a` …) with the site's classes.
    static func badge(_ text: String) -> String {
        let css = text == "n/a" ? "na" : text.lowercased().replacingOccurrences(of: " ", with: "-")
        return "<span class=\"badge \(h(css))\">\(h(text))</span>"
    }

    /// A progress bar as inline SVG (no style attribute, which the policy forbids).
    static func bar(percent: Int) -> String {
        let width = max(0, min(100, percent)) * 160 / 100
        return """
            <svg class="progress" width="160" height="10" viewBox="0 0 160 10" role="img" aria-label="\(percent)%">\
            <rect width="160" height="10" rx="5" fill="#d9dee7"/><rect width="\(width)" height="10" rx="5" fill="#1e7b46"/></svg>
            """
    }

    /// `<option>`s, the one equal to `selected` selected.
    static func options(_ values: [(value: String, label: String)], selected: String? = nil) -> String {
        values.map { value, label in
            "<option value=\"\(h(value))\"\(value == selected ? " selected" : "")>\(h(label))</option>"
        }.joined()
    }

    static func day(_ date: Date?) -> String { date.map(Timestamps.day) ?? "" }
    static func time(_ date: Date?) -> String {
        date.map {
            Timestamps.string($0).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
        }
            ?? ""
    }
}

/// The stylesheet: the site's theme and what the server's pages add (forms, navigation, chart).
enum ServerTheme {
    static let css =
        SiteTheme.css + """
            nav.top { display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
            nav.top .who { color: #c9d3e6; margin-left: auto; margin-right: 12px; font-size: 13px; }
            nav.top form.signout { margin: 0; }
            nav.top button { background: transparent; color: #fff; border: 1px solid #5d6b8a; border-radius: 4px;
              padding: 2px 10px; cursor: pointer; }
            .notice { background: #e7f4ec; border: 1px solid #9fd0b3; padding: 8px 12px; border-radius: 6px; }
            .notice.error { background: #fdecea; border-color: #f1a7a1; }
            form.filters, form.action { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 8px 0 16px; }
            form.action { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--wash);
              align-content: flex-start; }
            form.action h3 { width: 100%; margin: 0 0 4px; font-size: 15px; }
            label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 2px; }
            label.check { flex-direction: row; align-items: center; gap: 6px; }
            input, select, textarea, button { font: inherit; font-size: 14px; }
            input[type=text], input[type=password], input[type=date], input[type=url], select, textarea {
              padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink); }
            textarea { min-width: 240px; min-height: 60px; max-width: 100%; }
            form.action label { max-width: 100%; }
            form.action select, form.action input[type=text], form.action input[type=url] { max-width: 100%; width: 100%; }
            .actions-grid { min-width: 0; }
            .actions-grid > form { min-width: 0; overflow: hidden; }
            button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 5px 14px; cursor: pointer; }
            th a { color: inherit; text-decoration: none; }
            th a.sorted { text-decoration: underline; }
            svg.chart { width: 100%; max-width: 720px; height: auto; border: 1px solid var(--line); border-radius: 6px; }
            .signin { max-width: 360px; margin: 48px auto; }
            .signin form { display: flex; flex-direction: column; gap: 10px; }
            .actions-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
            """
}

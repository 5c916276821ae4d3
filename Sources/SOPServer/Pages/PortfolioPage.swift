import Foundation
import SOPApp

/// The portfolio: every customer's line, filtered by owner and status, sorted by any column.
struct PortfolioPage {
    /// The query a portfolio URL carries.
    struct Query: Equatable {
        var owner: String?
        var status: String?
        var sort: String?
        var descending = false

        init(owner: String?, status: String?, sort: String?, direction: String?) {
            self.owner = owner?.isEmpty == false ? owner : nil
            self.status = ["attention", "active", "done"].contains(status ?? "") ? status : nil
            self.sort = PortfolioPage.columns.contains { $0.key == sort } ? sort : nil
            descending = direction == "desc"
        }
    }

    static let columns: [(key: String, label: String)] = [
        ("customer", "Customer"), ("progress", "Progress"), ("owner", "Owner"), ("due", "Due"),
        ("days", "Days left"), ("blocked", "Blocked"), ("overdue", "Overdue"), ("failing", "Failing checks"),
        ("stale", "Stale sign-offs"), ("template", "Template"), ("activity", "Last activity"),
    ]

    var rows: [DashboardRow]
    var query: Query

    /// The rows the query keeps, in its order (the store's urgency order when unsorted).
    var shown: [DashboardRow] {
        var kept = rows.filter { row in
            (query.owner == nil || (query.owner == "-" ? row.owner == nil : row.owner == query.owner))
                && (query.status == nil || row.status == query.status)
        }
        guard let sort = query.sort else { return kept }
        kept = kept.enumerated().sorted { left, right in
            let order = Self.compare(left.element, right.element, by: sort)
            if order == .orderedSame { return left.offset < right.offset }
            return query.descending ? order == .orderedDescending : order == .orderedAscending
        }.map(\.element)
        return kept
    }

    static func compare(_ a: DashboardRow, _ b: DashboardRow, by key: String) -> ComparisonResult {
        func numbers(_ x: Int, _ y: Int) -> ComparisonResult {
            x == y ? .orderedSame : x < y ? .orderedAscending : .orderedDescending
        }
        func texts(_ x: String?, _ y: String?) -> ComparisonResult {
            // Missing values sort last either way a person reads the column.
            switch (x, y) {
            case (nil, nil): return .orderedSame
            case (nil, _): return .orderedDescending
            case (_, nil): return .orderedAscending
            case (let x?, let y?): return x.localizedStandardCompare(y)
            }
        }
        switch key {
        case "customer": return texts(a.name, b.name)
        case "progress": return numbers(a.percent, b.percent)
        case "owner": return texts(a.owner, b.owner)
        case "due", "days": return texts(a.due, b.due)
        case "blocked": return numbers(a.blocked, b.blocked)
        case "overdue": return numbers(a.overdue, b.overdue)
        case "failing": return numbers(a.failing, b.failing)
        case "stale": return numbers(a.staleSignoffs, b.staleSignoffs)
        case "template": return texts(a.template, b.template)
        default: return texts(a.lastActivity, b.lastActivity)
        }
    }

    func link(sort key: String) -> String {
        var parts: [String] = []
        if let owner = query.owner { parts.append("owner=" + FormFields.percentEncode(owner)) }
        if let status = query.status { parts.append("status=" + status) }
        parts.append("sort=" + key)
        if query.sort == key && !query.descending { parts.append("dir=desc") }
        return "/?" + parts.joined(separator: "&amp;")
    }

    func html() -> String {
        let h = Layout.h
        let owners = Array(Set(rows.compactMap(\.owner))).sorted()
        let ownerOptions = [("", "Any owner"), ("-", "No owner")] + owners.map { ($0, $0) }
        let statusOptions = [
            ("", "Any status"), ("attention", "Needs attention"), ("active", "Active"), ("done", "Done"),
        ]
        let kept = shown
        var out = """
            <h1>Portfolio</h1>
            <div class="stats"><div><strong>\(rows.count)</strong>customers</div>\
            <div><strong>\(rows.filter { $0.status == "attention" }.count)</strong>need attention</div>\
            <div><strong>\(rows.filter { $0.status == "done" }.count)</strong>done</div></div>
            <form class="filters" method="get" action="/">
            <label>Owner<select name="owner">\(Layout.options(ownerOptions, selected: query.owner ?? ""))</select></label>
            <label>Status<select name="status">\(Layout.options(statusOptions, selected: query.status ?? ""))</select></label>
            \(query.sort.map { "<input type=\"hidden\" name=\"sort\" value=\"\(h($0))\">" } ?? "")\
            \(query.descending ? "<input type=\"hidden\" name=\"dir\" value=\"desc\">" : "")\
            <button>Filter</button></form>
            <p class="muted">\(kept.count) of \(rows.count) customers</p>
            <table class="portfolio"><thead><tr>
            """
        for column in Self.columns {
            let sorted = query.sort == column.key
            let arrow = sorted ? (query.descending ? " ↓" : " ↑") : ""
            out +=
                "<th><a href=\"\(link(sort: column.key))\"\(sorted ? " class=\"sorted\"" : "")>\(h(column.label))\(arrow)</a></th>"
        }
        out += "</tr></thead><tbody>\n"
        for row in kept {
            let days =
                row.daysLeft.map { $0 < 0 ? "<span class=\"badge overdue\">\(-$0) days late</span>" : "\($0)" } ?? ""
            out += """
                <tr data-slug="\(h(row.slug))"><td><a href="/customers/\(h(FormFields.percentEncode(row.slug)))">\(h(row.name))</a>\
                <br><span class="muted">\(h(row.slug))</span></td>\
                <td>\(Layout.bar(percent: row.percent)) \(row.percent)%<br><span class="muted">\(row.done)/\(row.total)</span></td>\
                <td>\(h(row.owner ?? ""))</td><td>\(h(row.due ?? ""))</td><td>\(days)</td>\
                <td>\(row.blocked > 0 ? Layout.badge("blocked") + " \(row.blocked)" : "0")</td>\
                <td>\(row.overdue > 0 ? "<span class=\"badge overdue\">\(row.overdue)</span>" : "0")</td>\
                <td>\(row.failing > 0 ? "<span class=\"badge fail\">\(row.failing)</span>" : "0")</td>\
                <td>\(row.staleSignoffs > 0 ? "<span class=\"badge stale\">\(row.staleSignoffs)</span>" : "0")</td>\
                <td>\(h(row.template))</td><td>\(h(row.lastActivity.replacingOccurrences(of: "T", with: " ")))</td></tr>

                """
        }
        out += "</tbody></table>"
        return out
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SOPApp
import SOPRender

/// Activity across the portfolio (and a customer's audit log): newest first.
enum ActivityPage {
    static func html(_ entries: [ActivityEntry]) -> String {
        "<h1>Activity</h1>\n" + table(entries, showCustomer: true)
    }

    static func table(_ entries: [ActivityEntry], showCustomer: Bool) -> String {
        let h = Layout.h
        guard !entries.isEmpty else { return "<p class=\"muted\">Nothing recorded yet.</p>" }
        var out =
            "<table class=\"activity\"><thead><tr><th>When</th>\(showCustomer ? "<th>Customer</th>" : "")<th>Who</th><th>What</th><th>Detail</th></tr></thead><tbody>\n"
        for entry in entries {
            let customer =
                showCustomer
                ? "<td>"
                    + (entry.customer.isEmpty
                        ? ""
                        : "<a href=\"/customers/\(h(FormFields.percentEncode(entry.customer)))\">\(h(entry.customer))</a>")
                    + "</td>"
                : ""
            out +=
                "<tr><td>\(Layout.time(entry.at))</td>\(customer)<td>\(h(entry.actor))</td><td>\(h(entry.action))</td><td>\(h(entry.detail))</td></tr>\n"
        }
        return out + "</tbody></table>"
    }
}

/// The templates the server's library holds.
enum TemplatesPage {
    static func html(_ listings: [TemplateListing]) -> String {
        let h = Layout.h
        var out =
            "<h1>Templates</h1>\n<table class=\"templates\"><thead><tr><th>Template</th><th>Title</th><th>Sections</th><th>Items</th><th>SHA-256</th></tr></thead><tbody>\n"
        for listing in listings {
            let template = listing.template
            let title = template?.title ?? (listing.problem ?? "does not parse (sop template lint)")
            out +=
                "<tr><td><code>\(h(listing.id))@\(h(listing.version))</code></td><td>\(h(title))</td>"
                + "<td>\(template?.sections.count ?? 0)</td><td>\(template?.items.count ?? 0)</td>"
                + "<td><code>\(h(String((template?.sha256 ?? "").prefix(12))))</code></td></tr>\n"
        }
        return out + "</tbody></table>"
    }
}

/// Sign-in, invitation and error pages.
enum SessionPages {
    static func signIn(next: String, message: String?) -> String {
        let h = Layout.h
        return Layout.document(
            title: "Sign in", principal: nil,
            notice: message.map { .init(text: $0, isError: true) },
            body: """
                <div class="signin"><h1>Sign in to sop</h1>
                <form method="post" action="/signin">
                <input type="hidden" name="next" value="\(h(next))">
                <label>Name<input type="text" name="name" autocomplete="username" required maxlength="100"></label>
                <label>Password<input type="password" name="password" autocomplete="current-password" required maxlength="200"></label>
                <button>Sign in</button></form></div>
                """)
    }

    static func invitation(secret: String) -> String {
        Layout.document(
            title: "Your invitation", principal: nil,
            body: """
                <div class="signin"><h1>Your onboarding portal</h1>
                <p>This one-time link signs you in to the portal of the account your consultancy is setting up.</p>
                <form method="post" action="/invite/\(Layout.h(secret))"><button>Continue</button></form></div>
                """)
    }
}

/// An error as a page of its own (one line, escaped).
enum ErrorPage {
    static func response(status: HTTPResponse.Status, message: String) -> Response {
        let html = Layout.document(
            title: status.reasonPhrase, principal: nil,
            body:
                "<h1>\(Layout.h(status.reasonPhrase))</h1><p class=\"notice error\">\(Layout.h(message))</p><p><a href=\"/\">Back</a></p>"
        )
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

import Foundation
import SOPCore
import SOPRender

extension Agenda {
    /// `sop agenda --ics`: an iCalendar file (RFC 5545) calendar applications import.
    ///
    /// One all-day `VEVENT` per entry (`DTSTART;VALUE=DATE`, `DTEND` the next day); overdue
    /// entries sit on today, since that is when they need doing. A `UID` is the SHA-256 of the
    /// entry's customer, kind, item, subject and (for dated kinds) date, so importing next
    /// week's file updates this week's events instead of doubling them; `DTSTAMP` is the clock.
    /// Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 sequence; text
    /// values escape `\`, `;`, `,` and newlines (§3.3.11) after control characters are dropped.
    public func calendar() -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sop//agenda//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.icsText("sop agenda" + (owner.map { " for \($0)" } ?? "")),
        ]
        let stamp = Self.icsStamp(generatedAt)
        for entry in entries {
            let day = max(entry.date, today)
            let next = Self.day(day, plus: 1)
            let what = [entry.customer, entry.item].compactMap { $0 }.joined(separator: " ")
            lines += [
                "BEGIN:VEVENT",
                "UID:\(Self.uid(entry))@sop",
                "DTSTAMP:\(stamp)",
                "DTSTART;VALUE=DATE:\(day.replacingOccurrences(of: "-", with: ""))",
                "DTEND;VALUE=DATE:\(next.replacingOccurrences(of: "-", with: ""))",
                "SUMMARY:" + Self.icsText("\(entry.kind.label.capitalizedFirst): \(what) \(entry.title)"),
                "DESCRIPTION:" + Self.icsText(entry.detail),
                "CATEGORIES:" + Self.icsText(entry.kind.rawValue),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Stable across runs: what the entry is about, not its wording (an overdue item's "3 days
    /// overdue" changes daily). Kinds that sit on today leave the date out.
    static func uid(_ entry: Entry) -> String {
        let dated: Set<Kind> = [.overdue, .due, .evidenceExpiring, .waiverExpiring]
        let parts = [
            entry.customer, entry.kind.rawValue, entry.item ?? "", entry.subject,
            dated.contains(entry.kind) ? entry.date : "",
        ]
        return String(ContentHash.sha256Hex(Data(parts.joined(separator: "\u{1F}").utf8)).prefix(32))
    }

    /// `2026-05-04T09:00:00Z` → `20260504T090000Z`.
    static func icsStamp(_ instant: String) -> String {
        instant.filter { $0 != "-" && $0 != ":" }
    }

    /// A TEXT value (RFC 5545 §3.3.11), from text cleaned as every renderer cleans user text
    /// (control characters dropped, bidirectional overrides made visible).
    static func icsText(_ text: String) -> String {
        var out = ""
        for scalar in UserText.clean(text).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line into lines of at most 75 octets, continuations starting with a
    /// space (§3.1), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line }
        var pieces: [String] = []
        var start = 0
        var limit = 75
        while start < bytes.count {
            var end = min(start + limit, bytes.count)
            // Back off to the start of a scalar (continuation bytes are 10xxxxxx).
            while end < bytes.count && end > start && (bytes[end] & 0xC0) == 0x80 { end -= 1 }
            pieces.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end
            limit = 74  // the leading space counts
        }
        return pieces.joined(separator: "\r\n ")
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

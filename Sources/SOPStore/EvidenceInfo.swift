import SOPCore

/// One piece of evidence as users, `status --json` and the renderer see it.
public struct EvidenceInfo: Sendable, Codable, Equatable {
    /// Short stable id shown to users: `E12`.
    public var id: String
    public var number: Int64
    public var item: String
    public var kind: String
    /// Note text, link URL, or the canonical JSON of a check result.
    public var text: String?
    public var sha256: String
    public var fileName: String?
    public var mediaType: String?
    public var size: Int
    public var by: String
    public var addedAt: String
    public var expires: String?
    /// Kept out of customer-facing outputs.
    public var `internal`: Bool
    public var checkId: String?
    public var checkRegion: String?
    public var checkOutcome: String?
    public var retractedAt: String?
    public var retractedBy: String?
    public var retractedReason: String?
    /// The last day it is current (its `--expires`, or the end of its item's `valid_for`), and
    /// whether that day has passed (see ``EvidenceAgeing``); nil where neither applies.
    public var validUntil: String? = nil
    public var stale: Bool? = nil

    init(_ r: EvidenceRecord) {
        number = r.id ?? 0
        id = "E\(number)"
        item = r.itemId
        kind = r.kind
        text = r.text
        sha256 = r.sha256
        fileName = r.fileName
        mediaType = r.mediaType
        size = r.size
        by = r.addedBy
        addedAt = r.addedAt
        expires = r.expires
        self.internal = r.internal
        checkId = r.checkId
        checkRegion = r.checkRegion
        checkOutcome = r.checkOutcome
        retractedAt = r.retractedAt
        retractedBy = r.retractedBy
        retractedReason = r.retractedReason
    }

    public var isRetracted: Bool { retractedAt != nil }

    /// Parses `E12`, `e12` or `12`.
    public static func number(from text: String) -> Int64? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.first == "E" || digits.first == "e" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits), value > 0
        else { return nil }
        return value
    }
}

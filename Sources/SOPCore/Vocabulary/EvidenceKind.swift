/// The kinds of evidence: what an item can require, what a user attaches, what verification
/// records. Declared once; the tracker stores the raw values, renderers label them.
public enum EvidenceKind: String, Sendable, Codable, CaseIterable, Comparable {
    case note, file, link, check

    public static func < (lhs: EvidenceKind, rhs: EvidenceKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

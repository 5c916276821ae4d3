/// How numbers are written by both writers.
enum JSONNumberText {
    /// Swift's shortest round-trip form without a trailing `.0` (`1`, `0.1`, `1e+21`, `1e-07`, `-0`):
    /// what JSONEncoder writes for a `Double`. The digits come from the standard library's own
    /// float printing, which Swift specifies as shortest round-trip, not from Foundation.
    static func double(_ value: Double) -> String {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

import Foundation
import SOPCore
import TestSupport
import Testing

/// The line scan `sop status` ages evidence by agrees with the parser, and gives up (nil, so the
/// caller parses) on anything it does not read.
@Suite struct ValidityScanTests {
    @Test func agreesWithTheParserOnEveryShippedTemplate() throws {
        let library = TemplateLibrary(searchPaths: [Paths.templatesDirectory])
        var periods = 0
        for entry in library.entries() {
            let text = try String(contentsOf: entry.url, encoding: .utf8)
            let parsed = try library.load(entry.reference)
            let expected = Dictionary(
                uniqueKeysWithValues: parsed.items.compactMap { item in item.validFor.map { (item.id, $0) } })
            #expect(ValidityScan.periods(in: text) == expected, "\(entry.reference)")
            periods += expected.count
        }
        #expect(periods >= 3, "a shipped template has validity periods")
    }

    @Test func anythingItDoesNotReadIsNilNeverAShorterList() {
        let multiLine = "<!-- sop\nid: a\nvalid_for: 30d\n-->\n"
        #expect(ValidityScan.periods(in: multiLine) == ["a": ValidityPeriod(count: 30, unit: .days)])
        #expect(ValidityScan.periods(in: "<!-- sop id: a, valid_for: 30d -->\n") == nil, "one-line comment")
        #expect(ValidityScan.periods(in: "<!-- sop\nid: a\nvalid_for: soon\n-->\n") == nil, "bad value")
        #expect(ValidityScan.periods(in: "<!-- sop\nvalid_for: 30d\n-->\n") == nil, "no id")
        #expect(ValidityScan.periods(in: "no metadata at all\n") == [:])
    }
}

import Foundation
import Testing

@testable import SOPCore

/// Conditions built to exhaust the stack: refused with one line, never a crash, however deep.
@Suite struct HostileConditionTests {
    @Test(arguments: [100_000, 5_000, Condition.maxNesting + 1])
    func deepParenthesesAreRefused(depth: Int) {
        let text = String(repeating: "(", count: depth) + "compliance has hipaa" + String(repeating: ")", count: depth)
        #expect(throws: ConditionError.self) { try Condition.parse(text) }
        do {
            _ = try Condition.parse(text)
        } catch {
            #expect(error.description.contains("deeper than \(Condition.maxNesting)"))
            #expect(error.description.count < 200, "one short line, not the condition echoed")
        }
    }

    @Test(arguments: [200_000, 10_000])
    func aLongRunOfNotIsRefused(count: Int) {
        let text = String(repeating: "not ", count: count) + "compliance has hipaa"
        #expect(throws: ConditionError.self) { try Condition.parse(text) }
    }

    @Test func tooManyComparisonsAreRefused() {
        let text = Array(repeating: "compliance has hipaa", count: 100_000).joined(separator: " and ")
        #expect(throws: ConditionError.self) { try Condition.parse(text) }
    }

    @Test func conditionsWithinTheBoundsStillParse() throws {
        let nested =
            String(repeating: "(", count: Condition.maxNesting) + "compliance has hipaa"
            + String(repeating: ")", count: Condition.maxNesting)
        #expect(try Condition.parse(nested) == .has(attribute: "compliance", value: "hipaa"))
        let nots = String(repeating: "not ", count: Condition.maxNesting - 1) + "regions has eu-west-1"
        #expect(try Condition.parse(nots).evaluate(CustomerAttributes(regions: ["us-east-1"])) == true)
        let chain = Array(repeating: "compliance has hipaa", count: Condition.maxComparisons).joined(separator: " or ")
        #expect(try Condition.parse(chain).evaluate(CustomerAttributes(compliance: ["hipaa"])))
    }

    @Test func aTemplateWithAHostileConditionGetsALintErrorOnItsLine() throws {
        let hostile =
            String(repeating: "(", count: 100_000) + "compliance has hipaa"
            + String(repeating: ")", count: 100_000)
        let text = baseTemplate.replacingOccurrences(
            of: "  id: prep.email\n", with: "  id: prep.email\n  when: \(hostile)\n")
        let (template, diagnostics) = TemplateParser().check(data: Data(text.utf8), path: "hostile.md")
        _ = template  // lint reports the diagnostics; a template with any is never used
        let first = try #require(diagnostics.first)
        #expect(first.description.hasPrefix("hostile.md:"))
        #expect(first.description.contains("deeper than"))
        #expect(first.description.count < 300)
    }
}

/// Windows line endings read exactly as Unix ones (issue 11, class 11).
@Suite struct LineEndingTests {
    @Test func aTemplateWithCRLFLineEndingsParsesLikeItsLFTwin() throws {
        let lf = try TemplateParser().parse(data: Data(baseTemplate.utf8), path: "demo.md")
        let crlf = try TemplateParser().parse(
            data: Data(baseTemplate.replacingOccurrences(of: "\n", with: "\r\n").utf8), path: "demo.md")
        #expect(crlf.items.map(\.id) == lf.items.map(\.id))
        #expect(crlf.items.map(\.title) == lf.items.map(\.title))
        #expect(crlf.sections.map(\.title) == lf.sections.map(\.title))
        #expect(crlf.roles == lf.roles && crlf.version == lf.version)
    }
}

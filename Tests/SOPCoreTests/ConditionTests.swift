import Testing

@testable import SOPCore

@Suite struct ConditionTests {
    @Test func evaluatesCompliance() throws {
        let hipaa = CustomerAttributes(compliance: ["HIPAA"])
        #expect(try Condition.parse("compliance has hipaa").evaluate(hipaa))
        #expect(try !Condition.parse("compliance has gdpr").evaluate(hipaa))
        #expect(try Condition.parse("not compliance has gdpr").evaluate(hipaa))
        #expect(try Condition.parse("compliance has gdpr or compliance has hipaa").evaluate(hipaa))
        #expect(try !Condition.parse("compliance has gdpr and compliance has hipaa").evaluate(hipaa))
    }

    @Test func precedenceAndParentheses() throws {
        let c = try Condition.parse("compliance has a or compliance has b and regions has eu-west-1")
        #expect(c.evaluate(CustomerAttributes(compliance: ["a"])))
        let d = try Condition.parse("(compliance has a or compliance has b) and regions has eu-west-1")
        #expect(!d.evaluate(CustomerAttributes(compliance: ["a"])))
        #expect(d.evaluate(CustomerAttributes(compliance: ["b"], regions: ["eu-west-1"])))
        #expect(try Condition.parse(d.description) == d)
    }

    @Test func parameters() throws {
        let c = try Condition.parse("param.tier is gold")
        #expect(c.evaluate(CustomerAttributes(parameters: ["tier": .string("gold")])))
        #expect(!c.evaluate(CustomerAttributes(parameters: ["tier": .string("silver")])))
    }

    @Test(arguments: [
        "", "compliance", "compliance has", "has hipaa", "compliance has hipaa and", "(compliance has a",
        "industry has x", "compliance equals x",
    ])
    func rejects(_ text: String) {
        #expect(throws: ConditionError.self) { try Condition.parse(text) }
    }
}

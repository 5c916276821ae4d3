import SOPCore
import Testing

@Suite struct ParameterTextTests {
    let values: [String: ParameterValue] = [
        "n": .integer(16), "ous": .list(["Security", "Workloads"]), "on": .boolean(true), "s": .string("*x*"),
    ]

    @Test func referencesAreFilledAndUnknownOnesKept() {
        #expect(ParameterText.fill("at least ${n} chars", values) == "at least 16 chars")
        #expect(ParameterText.fill("OUs ${ous}; ${on}", values) == "OUs Security, Workloads; true")
        #expect(ParameterText.fill("${missing} and ${n}", values) == "${missing} and 16")
        #expect(ParameterText.fill("unterminated ${n", values) == "unterminated ${n")
        #expect(ParameterText.fill("no references", values) == "no references")
        #expect(ParameterText.fill("${n}${n}", values) == "1616")
    }

    @Test func valuesAreEscapedForTheOutput() {
        #expect(ParameterText.fill("name ${s}", values) { "`\($0)`" } == "name `*x*`")
    }
}

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

    /// The byte scan finds references among any characters, at either end, after a `$`.
    @Test func referencesAmongOtherText() {
        #expect(ParameterText.fill("Länge ≥ ${n} – ✓", values) == "Länge ≥ 16 – ✓")
        #expect(ParameterText.fill("$${n}$", values) == "$16$")
        #expect(ParameterText.fill("${}", values) == "${}")
        #expect(ParameterText.fill("${n}", values) == "16")
        #expect(ParameterText.fill("ends with $", values) == "ends with $")
        #expect(ParameterText.fill("${n} then ${n", values) == "16 then ${n")
        #expect(ParameterText.fill("", values) == "")
    }

    @Test func valuesAreEscapedForTheOutput() {
        #expect(ParameterText.fill("name ${s}", values) { "`\($0)`" } == "name `*x*`")
    }
}

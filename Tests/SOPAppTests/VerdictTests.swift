import SOPApp
import Testing

/// The one exit-code rule: 0 OK, 1 not OK, 2 bad input, 3 undecided; a failure outranks an error.
@Suite struct VerdictTests {
    @Test func exitCodes() {
        #expect(Verdict.ok.exitCode == 0)
        #expect(Verdict.notOK.exitCode == 1)
        #expect(Verdict.badInput.exitCode == 2)
        #expect(Verdict.undecided.exitCode == 3)
    }

    @Test(arguments: [
        (false, false, Verdict.ok), (true, false, .notOK), (false, true, .undecided), (true, true, .notOK),
    ])
    func aFailureOutranksAnError(failed: Bool, undecided: Bool, expected: Verdict) {
        #expect(Verdict.combining(failed: failed, undecided: undecided) == expected)
    }

    @Test func errorKindsMapToVerdicts() {
        #expect(AppError.badInput("x").verdict.exitCode == 2)
        #expect(AppError.notOK("x").verdict.exitCode == 1)
        #expect(AppError(.undecided, "x").verdict.exitCode == 3)
        #expect(AppError.badInput("two\nlines").message == "two lines", "errors are one line")
    }
}

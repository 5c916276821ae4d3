import Foundation
import SOPCore
import Testing

@testable import SOPStore

/// Store errors about the caller's input are typed and worded without any front end's
/// vocabulary: no option names, so a web form can word them as well as the CLI does.
@Suite struct StoreProblemTests {
    static let finding = SecretScanner.Finding(kind: .password, line: 2)
    static let problems: [StoreProblem] =
        StoreInput.allCases.flatMap { input in
            [StoreProblem.emptyInput(input), .malformedInput(input, value: "x"), .secretRefused(input, finding)]
        } + [
            .conflictingInputs(.awsProfile, .roleArn), .inputNeeds(.externalId, .roleArn),
            .unknownParameter(name: "k", template: "t@1.0.0", known: ["a", "b"]),
            .parameterMismatch(name: "k", value: "v", defaultValue: "14"),
            .reasonRequired(.mark(item: "a", status: .blocked)), .reasonRequired(.override),
            .reasonRequired(.signoffRevocation), .reasonRequired(.evidenceRetraction),
            .notReadyForDone(item: "a", missing: ["evidence (note)"]),
        ]

    @Test func messagesNameNoOption() {
        for problem in Self.problems {
            let error = StoreError.problem(problem)
            #expect(!error.message.contains("--"), "\(error.message)")
            #expect(error.problem == problem)
            if case .secretRefused = problem {
                #expect(error.kind == .refused)
            } else {
                #expect(error.kind == .badInput)
            }
        }
        #expect(
            StoreError.problem(.secretRefused(.owner, Self.finding)).message
                == "refused: the owner contains what looks like a password (line 2); secrets and card data are never stored"
        )
        #expect(
            StoreError.problem(.malformedInput(.due, value: "03/01\n")).message
                == "the due date '03/01 ' is not a date (expected YYYY-MM-DD)", "one line, whatever the value holds")
    }

    func problem(_ body: () throws -> Void) -> StoreProblem? {
        do {
            try body()
        } catch let error as StoreError {
            return error.problem
        } catch {
            Issue.record("not a StoreError: \(error)")
        }
        return nil
    }

    @Test func newCustomersReportTheFieldAtFault() throws {
        let test = try TestStore()
        func create(_ change: (inout NewCustomer) -> Void) -> StoreProblem? {
            var new = NewCustomer(slug: "acme", name: "Acme", email: "a@acme.example")
            change(&new)
            return problem { try test.store.createCustomer(new, template: sampleTemplate(), by: "dana") }
        }
        #expect(create { $0.name = " " } == .emptyInput(.name))
        #expect(create { $0.email = "nope" } == .malformedInput(.email, value: "nope"))
        #expect(create { $0.due = "soon" } == .malformedInput(.due, value: "soon"))
        #expect(
            create { $0.regions = ["us-east-x"] }
                == .foreignRegion(value: "us-east-x", provider: .aws, template: "aws-account@1.0.0"))
        #expect(
            create {
                $0.awsProfile = "p"
                $0.roleArn = "arn:aws:iam::123456789012:role/A"
            }
                == .conflictingInputs(.awsProfile, .roleArn))
        #expect(create { $0.externalId = "x" } == .inputNeeds(.externalId, .roleArn))
        #expect(create { $0.roleArn = "role" } == .malformedInput(.roleArn, value: "role"))
        #expect(create { $0.parameters = ["nokey"] } == .malformedInput(.parameter, value: "nokey"))
        #expect(
            create { $0.parameters = ["ghost=1"] }
                == .unknownParameter(name: "ghost", template: "aws-account@1.0.0", known: ["password_min_length"]))
        #expect(
            create { $0.parameters = ["password_min_length=long"] }
                == .parameterMismatch(name: "password_min_length", value: "long", defaultValue: "14"))
        #expect(
            create { $0.owner = "AKIAIOSFODNN7EXAMPLE" }
                == .secretRefused(.owner, SecretScanner.Finding(kind: .awsAccessKeyID, line: 1)))
        #expect(try test.store.customers().isEmpty)
    }

    @Test func itemsEvidenceAndSignoffsReportTheInputAtFault() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        #expect(
            problem { try store.mark(customer: "acme", item: "root-email", status: .blocked, by: "d") }
                == .reasonRequired(.mark(item: "root-email", status: .blocked)))
        #expect(
            problem { try store.mark(customer: "acme", item: "root-email", status: .done, force: true, by: "d") }
                == .reasonRequired(.override))
        #expect(
            problem { try store.mark(customer: "acme", item: "root-mfa", status: .done, by: "d") }
                == .notReadyForDone(
                    item: "root-mfa",
                    missing: [
                        "evidence (check (run 'sop verify'))",
                        "depends on root-email (not done)",
                    ]))
        #expect(
            problem { try store.assign(customer: "acme", item: "root-email", to: " ", by: "d") }
                == .emptyInput(.assignee))
        #expect(
            problem { try store.assign(customer: "acme", item: "root-email", to: "sam", due: "x", by: "d") }
                == .malformedInput(.due, value: "x"))
        #expect(
            problem { try store.addEvidence(customer: "acme", item: "root-email", content: .note(" \n"), by: "d") }
                == .emptyInput(.note))
        #expect(
            problem { try store.addEvidence(customer: "acme", item: "root-email", content: .link("ftp:x"), by: "d") }
                == .malformedInput(.link, value: "ftp:x"))
        #expect(
            problem {
                try store.addEvidence(
                    customer: "acme", item: "root-email", content: .note("n"), by: "d", expires: "later")
            } == .malformedInput(.expires, value: "later"))
        let note = try store.addEvidence(customer: "acme", item: "root-email", content: .note("n"), by: "d")
        #expect(
            problem { try store.retractEvidence(customer: "acme", evidence: note.id, reason: " ", by: "d") }
                == .reasonRequired(.evidenceRetraction))
        #expect(
            problem {
                try store.revokeSignoff(customer: "acme", target: "3", role: "Security Lead", reason: "", by: "d")
            }
                == .reasonRequired(.signoffRevocation))
    }
}

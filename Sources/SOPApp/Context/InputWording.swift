import SOPCore
import SOPStore

/// How a front end names the inputs a user gives: the CLI by its options (`--note`), a form
/// by its fields' labels.
public enum InputNaming: Sendable {
    case commandLineOptions
    case formFields
}

/// The front end's wording of store errors.
///
/// The store words its messages without any front end's vocabulary and says in
/// `StoreError.problem` which input was at fault; this is where `--note`, `--to` and the other
/// option names come back for the CLI (so the text is what `sop` has always printed), and the
/// field labels for a form.
struct InputWording {
    var naming: InputNaming

    /// The one line a front end shows for `error`.
    func text(for error: StoreError) -> String {
        guard let problem = error.problem else { return error.message }
        // Like the store's own messages, one line whatever the values hold.
        return text(for: problem).replacingOccurrences(of: "\n", with: " ")
    }

    func text(for problem: StoreProblem) -> String {
        switch problem {
        case .emptyInput(.assignee): return "--to must name someone"
        case .emptyInput(let input): return "\(option(input)) must not be empty"
        case .malformedInput(let input, let value): return "\(option(input)): '\(value)' is not \(input.expectedForm)"
        case .conflictingInputs(let a, let b): return "give either \(option(a)) or \(option(b)), not both"
        case .inputNeeds(let a, let b): return "\(option(a)) needs \(option(b))"
        case .unknownParameter(let name, let template, let known):
            return "--param: template \(template) has no parameter '\(name)'"
                + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
        case .parameterMismatch(let name, let value, let defaultValue):
            return "--param \(name): '\(value)' does not fit the default \(defaultValue)"
        case .reasonRequired(.mark(let item, let status)): return "marking \(item) \(status.rawValue) needs --reason"
        case .reasonRequired(.override): return "--force needs --reason"
        case .reasonRequired(.signoffRevocation): return "revoking a sign-off needs --reason"
        case .reasonRequired(.evidenceRetraction): return "retracting evidence needs --reason"
        case .notReadyForDone(let item, let missing):
            return
                "cannot mark \(item) done: missing \(missing.joined(separator: "; ")) (use --force --reason to override)"
        case .notReadyForSignoff(let target, let open):
            let shown = open.prefix(5).joined(separator: ", ") + (open.count > 5 ? ", …" : "")
            return "cannot sign off \(target) yet: \(open.count) item(s) not done (\(shown))"
        case .wouldReplace(let destination, let source):
            return naming == .commandLineOptions
                ? "\(destination) exists; use --force to overwrite it with \(source)"
                : "\(destination) exists; confirm to replace it with \(source)"
        case .foreignRegion(let value, let provider, let template):
            return StoreProblem.foreignRegion(value, provider, template, option: "--regions")
        case .emailRequired(let template):
            return "--email is required: template \(template) asks for the customer's email"
        case .secretRefused(let input, let finding):
            let place = finding.line > 1 ? " (line \(finding.line))" : ""
            return "refused: \(option(input)) contains what looks like \(finding.kind.rawValue)\(place); "
                + "secrets and card data are never stored"
        }
    }

    /// The option (or field) that gives `input`.
    func option(_ input: StoreInput) -> String {
        if naming == .formFields {
            let label = input.noun.hasPrefix("the ") ? String(input.noun.dropFirst(4)) : input.noun
            return label.prefix(1).uppercased() + label.dropFirst()
        }
        return switch input {
        case .name: "--name"
        case .email: "--email"
        case .address: "--address"
        case .phone: "--phone"
        case .owner: "--owner"
        case .contact: "--contact"
        case .awsProfile: "--aws-profile"
        case .roleArn: "--role-arn"
        case .externalId: "--external-id"
        case .parameter: "--param"
        case .region: "--regions"
        case .due: "--due"
        case .expires: "--expires"
        case .note: "--note"
        case .link: "--link"
        case .assignee: "--to"
        }
    }
}

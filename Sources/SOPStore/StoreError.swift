import CloudRegions
import SOPCore

/// A problem the store reports to its caller as one line.
///
/// `badInput` covers everything the user can fix by changing the command
/// (unknown customer, item or role, a bad date, a missing file, a refused secret);
/// nothing was written when it is thrown. `integrity` means the database itself is
/// not what `sop` wrote.
///
/// `message` names inputs by what they are ("the note"), never by how a front end
/// asks for them. When the cause is one of the store's inputs, `problem` says which
/// in typed form, so the CLI (or a web form) can word the message in its own terms.
public struct StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case badInput
        case notFound
        case refused
        case integrity
    }

    public var kind: Kind
    public var message: String
    /// The input at fault, typed; nil when `message` is all there is to say.
    public var problem: StoreProblem?

    public init(_ kind: Kind, _ message: String, problem: StoreProblem? = nil) {
        self.kind = kind
        self.message = message.replacingOccurrences(of: "\n", with: " ")
        self.problem = problem
    }

    public var description: String { message }

    static func badInput(_ message: String) -> StoreError { StoreError(.badInput, message) }
    static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }
    static func refused(_ message: String) -> StoreError { StoreError(.refused, message) }

    /// The error for a typed problem, with its neutral message.
    static func problem(_ problem: StoreProblem) -> StoreError {
        StoreError(problem.kind, problem.neutralMessage, problem: problem)
    }
}

/// An input of a store operation, named by what it holds.
public enum StoreInput: String, Sendable, Equatable, CaseIterable {
    case name, email, address, phone, owner, contact, awsProfile, roleArn, externalId, parameter, region
    case due, expires, note, link, assignee

    /// How a neutral message names the input.
    public var noun: String {
        switch self {
        case .awsProfile: "the AWS profile"
        case .roleArn: "the role ARN"
        case .externalId: "the external id"
        case .due: "the due date"
        case .expires: "the expiry date"
        default: "the \(rawValue)"
        }
    }

    /// What a well-formed value looks like, for inputs with a syntax.
    public var expectedForm: String {
        switch self {
        case .email: "an email address"
        case .link: "an absolute URL (https://…)"
        case .due, .expires: "a date (expected YYYY-MM-DD)"
        case .region: "an AWS region name (like eu-west-1)"
        case .roleArn: "an IAM role ARN (arn:aws:iam::123456789012:role/NAME)"
        case .parameter: "KEY=VALUE"
        default: "valid"
        }
    }
}

/// Why a store operation refused its input, in terms a front end can word itself.
public enum StoreProblem: Sendable, Equatable {
    /// What needs a reason that was not given.
    public enum ReasonFor: Sendable, Equatable {
        /// Moving `item` to `status` (`blocked`, `n/a`).
        case mark(item: String, status: ItemStatus)
        /// Overriding the done gate.
        case override
        case signoffRevocation
        case evidenceRetraction
    }

    /// A text that must say something was empty.
    case emptyInput(StoreInput)
    /// A value does not have its input's `expectedForm`.
    case malformedInput(StoreInput, value: String)
    /// Two inputs that exclude each other were both given.
    case conflictingInputs(StoreInput, StoreInput)
    /// The first input only makes sense together with the second.
    case inputNeeds(StoreInput, StoreInput)
    /// A parameter override names a parameter the template does not have.
    case unknownParameter(name: String, template: String, known: [String])
    /// A parameter override's value does not fit the type of the template's default.
    case parameterMismatch(name: String, value: String, defaultValue: String)
    case reasonRequired(ReasonFor)
    /// The done gate refused: `missing` lists what is missing, as the audit trail records it.
    case notReadyForDone(item: String, missing: [String])
    /// A sign-off of work that is not finished: `open` lists the items (with their status) that
    /// are not yet done or not applicable.
    case notReadyForSignoff(target: String, open: [String])
    /// A region that is not one of the template's provider's (nil: the template takes no regions).
    case foreignRegion(value: String, provider: CloudProvider?, template: String)
    /// The template asks for the customer's email and none was given.
    case emailRequired(template: String)
    /// The input looks like it holds a secret or card data.
    case secretRefused(StoreInput, SecretScanner.Finding)
    /// Restoring would replace an existing database, which needs an explicit override.
    case wouldReplace(destination: String, source: String)

    /// "'europe-west1' is not an AWS region name (like eu-west-1)", or that the template takes none.
    public static func foreignRegion(_ value: String, _ provider: CloudProvider?, _ template: String, option: String)
        -> String
    {
        guard let provider else {
            return "\(option) '\(value)': template \(template) takes no regions (provider: none)"
        }
        return "\(option): '\(value)' is not \(provider.regionWording)"
    }

    var kind: StoreError.Kind { if case .secretRefused = self { .refused } else { .badInput } }

    /// The message without any front end's vocabulary.
    var neutralMessage: String {
        switch self {
        case .emptyInput(let input): return "\(input.noun) must not be empty"
        case .malformedInput(let input, let value): return "\(input.noun) '\(value)' is not \(input.expectedForm)"
        case .conflictingInputs(let a, let b): return "give either \(a.noun) or \(b.noun), not both"
        case .inputNeeds(let a, let b): return "\(a.noun) needs \(b.noun)"
        case .unknownParameter(let name, let template, let known):
            return "template \(template) has no parameter '\(name)'"
                + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
        case .parameterMismatch(let name, let value, let defaultValue):
            return "parameter \(name): '\(value)' does not fit the default \(defaultValue)"
        case .reasonRequired(let what):
            switch what {
            case .mark(let item, let status): return "marking \(item) \(status.rawValue) needs a reason"
            case .override: return "an override of the done gate needs a reason"
            case .signoffRevocation: return "revoking a sign-off needs a reason"
            case .evidenceRetraction: return "retracting evidence needs a reason"
            }
        case .notReadyForDone(let item, let missing):
            return "cannot mark \(item) done: missing \(missing.joined(separator: "; "))"
        case .notReadyForSignoff(let target, let open):
            let shown = open.prefix(5).joined(separator: ", ") + (open.count > 5 ? ", …" : "")
            return "cannot sign off \(target) yet: \(open.count) item(s) not done (\(shown))"
        case .foreignRegion(let value, let provider, let template):
            return Self.foreignRegion(value, provider, template, option: "region")
        case .emailRequired(let template):
            return "an email address is required: template \(template) asks for the customer's email"
        case .secretRefused(let input, let finding):
            // The same sentence as `SecretScanner.check`, which names the input by `what`.
            let place = finding.line > 1 ? " (line \(finding.line))" : ""
            return "refused: \(input.noun) contains what looks like \(finding.kind.rawValue)\(place); "
                + "secrets and card data are never stored"
        case .wouldReplace(let destination, let source):
            return "\(destination) exists; replacing it with \(source) needs an explicit override"
        }
    }
}

extension SecretScanner {
    /// `check` for a named input: the refusal carries the input as a typed problem.
    static func check(_ text: String, input: StoreInput) throws(StoreError) {
        guard let first = scan(text).first else { return }
        throw .problem(.secretRefused(input, first))
    }
}

extension Timestamps {
    /// `text` when it is a YYYY-MM-DD day, else a typed problem naming `input`.
    static func validatedDay(_ text: String, input: StoreInput) throws(StoreError) -> String {
        guard parseDay(text) != nil else { throw .problem(.malformedInput(input, value: text)) }
        return text
    }
}

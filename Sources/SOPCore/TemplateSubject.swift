import CloudRegions

/// What a template is about, in its own words: the front matter's `subject`, `subjects`,
/// `provider` and `email`.
///
/// Covers, headings, labels and the site's navigation take their words from here, so an
/// employee-offboarding SOP never gets an "AWS account handover" cover. Every key is optional;
/// the defaults keep templates written before these keys (the AWS ones) exactly as they were.
public struct TemplateSubject: Sendable, Equatable {
    /// `provider:` as written; nil when the key is absent.
    public enum Provider: Sendable, Equatable {
        case none
        case cloud(CloudProvider)
    }

    /// `email:` as written; nil when the key is absent.
    public enum EmailRule: String, Sendable, Equatable {
        case required, optional
    }

    /// One instance's subject, singular: "AWS account", "employee", "GCP project".
    public var subject: String?
    /// The plural, where adding an "s" is wrong ("people").
    public var subjects: String?
    public var provider: Provider?
    public var email: EmailRule?

    public init(subject: String? = nil, subjects: String? = nil, provider: Provider? = nil, email: EmailRule? = nil) {
        self.subject = subject
        self.subjects = subjects
        self.provider = provider
        self.email = email
    }

    /// The words of ``provider`` a template may be given.
    public static let providerWords = ["aws", "azure", "gcp", "none"]

    /// The provider that applies: as declared, else AWS when the template has checks or
    /// conditions on regions (what templates without the key meant), else none (the template
    /// takes no regions). Its items decide, so a reader with only the front matter and the
    /// stored checklist gets the same answer as the full parse.
    public func provider(hasChecks: Bool, readsRegions: Bool) -> CloudProvider? {
        switch provider {
        case .none?: return nil
        case .cloud(let provider)?: return provider
        case nil: return hasChecks || readsRegions ? .aws : nil
        }
    }

    /// The subject for `provider`: as declared, else "AWS account" for AWS, else none.
    public func subject(provider: CloudProvider?) -> String? { subject ?? (provider == .aws ? "AWS account" : nil) }

    /// The plural for `provider`.
    public func subjects(provider: CloudProvider?) -> String? {
        subjects ?? subject(provider: provider).map { $0 + "s" }
    }
}

extension Template {
    /// Whether any item is verified by an automated check (all checks are AWS checks).
    public var hasChecks: Bool { items.contains { !$0.checks.isEmpty } }

    /// Whose region names `--regions` and `regions has …` take (see ``TemplateSubject/provider(hasChecks:readsRegions:)``).
    public var provider: CloudProvider? {
        subjectWords.provider(
            hasChecks: hasChecks, readsRegions: items.contains { $0.when?.attributes.contains("regions") == true })
    }

    /// The subject, singular ("AWS account" for an AWS template that does not say), or nil
    /// when the template names none: pages then use plain words ("Handover").
    public var subject: String? { subjectWords.subject(provider: provider) }

    /// The subject, plural.
    public var subjects: String? { subjectWords.subjects(provider: provider) }

    /// Whether `sop new` needs `--email` (the AWS root user's address, unless the template says).
    public var requiresEmail: Bool {
        subjectWords.email.map { $0 == .required } ?? (provider == .aws)
    }
}

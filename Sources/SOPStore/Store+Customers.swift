import CloudRegions
import Foundation
import SOPCore

extension Store {
    /// Creates a customer and instantiates `template` for them, in one transaction.
    ///
    /// Pins the template's id, version and file SHA-256 and copies its sections and
    /// items into the database. Items whose `when` condition is false for this
    /// customer are recorded not-applicable, with the condition as the reason and
    /// `condition` as the status cause (see `Applicability`). Applicable items get the due day
    /// their template rule gives (``DueSchedule``), from the day of creation and the customer's
    /// due date; `sop assign --due` overrides it later.
    @discardableResult
    public func createCustomer(_ new: NewCustomer, template: Template, by actor: String) throws -> CustomerInfo {
        let record = try validatedRecord(new, template: template, actor: actor)
        return try write { db in
            if try db.integer("SELECT count(*) FROM customer WHERE slug = ?", [.text(new.slug)]) > 0 {
                throw StoreError.badInput("customer '\(new.slug)' already exists")
            }
            var customer = record
            try db.insert(&customer)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            for (ordinal, section) in template.sections.enumerated() {
                try db.insert(
                    SectionRecord(
                        customerId: customerID, number: section.number, ordinal: ordinal, title: section.title,
                        level: section.level, signoffRoles: section.signoff, archivedAt: nil))
            }
            let attributes = CustomerAttributes(
                compliance: Set(customer.compliance), regions: Set(customer.regions),
                parameters: template.parameterValues(overrides: customer.parameters))
            // Due days from the template's rules: the start is the day the customer is created.
            let dueDays = DueSchedule.compute(
                template.items, start: String(customer.createdAt.prefix(10)), customerDue: customer.due)
            var notApplicable: [String] = []
            for (ordinal, item) in template.items.enumerated() {
                let applies = Applicability.applies(item, to: attributes)
                if !applies { notApplicable.append(item.id) }
                try db.insert(
                    ItemRecord(
                        customerId: customerID, itemId: item.id, ordinal: ordinal, section: item.section,
                        title: item.title, steps: item.steps, evidenceKinds: item.evidence.map(\.rawValue),
                        signoffRoles: item.signoff, checks: item.checks, depends: item.depends,
                        whenCondition: item.when?.description, ownerRole: item.owner,
                        status: (applies ? ItemStatus.todo : .notApplicable).rawValue,
                        statusReason: applies ? nil : Applicability.reason(item.when), assignee: nil,
                        due: applies ? dueDays[item.id] : nil,
                        updatedAt: customer.createdAt, updatedBy: actor, archivedAt: nil,
                        statusCause: applies ? nil : Applicability.conditionCause
                    ))
            }
            let after = CanonicalJSON.encode(
                CreationSummary(
                    slug: customer.slug, name: customer.name, email: customer.email, template: template.reference,
                    templateSha256: template.sha256, items: template.items.count, notApplicable: notApplicable,
                    compliance: customer.compliance, regions: customer.regions))
            try audit(
                db, customer: customer.slug, actor: actor, action: "customer.create", target: customer.slug,
                after: after)
            return CustomerInfo(try customerRecord(db, customer.slug))
        }
    }

    /// All customers, by slug.
    public func customers() throws -> [CustomerInfo] {
        try read { db in
            try db.records(CustomerRecord.self, "SELECT * FROM customer ORDER BY slug", []).map(CustomerInfo.init)
        }
    }

    /// One customer, or `.badInput` naming the unknown slug.
    public func customer(_ slug: String) throws -> CustomerInfo {
        try read { db in CustomerInfo(try customerRecord(db, slug)) }
    }

    /// Checks every field of a new customer, before any transaction starts.
    private func validatedRecord(_ new: NewCustomer, template: Template, actor: String) throws -> CustomerRecord {
        guard Validation.isSlug(new.slug) else {
            throw StoreError.badInput(
                "'\(new.slug)' is not a valid slug (lower-case letters, digits and dashes, "
                    + "starting with a letter or digit, at most 63 characters)")
        }
        let name = new.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StoreError.problem(.emptyInput(.name)) }
        if new.email.isEmpty {
            if template.requiresEmail { throw StoreError.problem(.emailRequired(template: template.reference)) }
        } else if !Validation.isEmail(new.email) {
            throw StoreError.problem(.malformedInput(.email, value: new.email))
        }
        let due = try new.due.map { value throws(StoreError) in try Timestamps.validatedDay(value, input: .due) }
        let regions = new.regions.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for region in regions where !(template.provider?.isRegion(region) ?? false) {
            throw StoreError.problem(
                .foreignRegion(value: region, provider: template.provider, template: template.reference))
        }
        let compliance = new.compliance.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
            !$0.isEmpty
        }
        if new.awsProfile != nil && new.roleArn != nil {
            throw StoreError.problem(.conflictingInputs(.awsProfile, .roleArn))
        }
        if new.externalId != nil && new.roleArn == nil {
            throw StoreError.problem(.inputNeeds(.externalId, .roleArn))
        }
        if let arn = new.roleArn, !Validation.isRoleARN(arn) {
            throw StoreError.problem(.malformedInput(.roleArn, value: arn))
        }
        var parameters: [String: ParameterValue] = [:]
        for assignment in new.parameters {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw StoreError.problem(.malformedInput(.parameter, value: assignment))
            }
            let key = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
            let text = String(assignment[assignment.index(after: eq)...])
            guard let parameter = template.parameter(key) else {
                throw StoreError.problem(
                    .unknownParameter(
                        name: key, template: template.reference,
                        known: template.parameters.map(\.name)))
            }
            guard let value = parameter.defaultValue.parsing(text) else {
                throw StoreError.problem(
                    .parameterMismatch(
                        name: key, value: text,
                        defaultValue: "\(parameter.defaultValue)"))
            }
            parameters[key] = value
        }
        // Every free-text field is scanned: card numbers and secrets are refused anywhere.
        let fields: [(StoreInput, String?)] =
            [
                (.name, name), (.email, new.email), (.address, new.address),
                (.phone, new.phone), (.owner, new.owner), (.awsProfile, new.awsProfile),
                (.roleArn, new.roleArn), (.externalId, new.externalId),
            ]
            + new.contacts.map { (.contact, $0) } + new.parameters.map { (.parameter, $0) }
        for (input, value) in fields {
            if let value { try SecretScanner.check(value, input: input) }
        }
        let now = nowString
        return CustomerRecord(
            id: nil, slug: new.slug, name: name, email: new.email, address: new.address, phone: new.phone,
            contacts: new.contacts, owner: new.owner, due: due, compliance: compliance, regions: regions,
            awsProfile: new.awsProfile, roleArn: new.roleArn, externalId: new.externalId, parameters: parameters,
            templateId: template.id, templateVersion: template.version.description, templateSha256: template.sha256,
            templateTitle: template.title, createdAt: now, createdBy: actor, lastActivityAt: now)
    }
}

/// What `customer.create` records in the audit trail.
private struct CreationSummary: Encodable {
    var slug: String
    var name: String
    var email: String
    var template: String
    var templateSha256: String
    var items: Int
    var notApplicable: [String]
    var compliance: [String]
    var regions: [String]
}

/// Syntax checks for user-given identifiers.
enum Validation {
    static func isSlug(_ text: String) -> Bool {
        guard (1...63).contains(text.count), let first = text.first, first.isASCII,
            first.isLowercase || first.isNumber
        else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return !text.contains { $0.isWhitespace }
    }

    static func isRoleARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam",
            parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        return parts[5].hasPrefix("role/") && parts[5].count > 5
    }
}

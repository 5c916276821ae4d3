import SOPCore
import SOPStore

/// What `sop new` asks for: the customer's facts and the template to pin.
public struct CreateCustomerRequest: Sendable {
    public var customer: NewCustomer
    /// `id` or `id@version`.
    public var template: String
    public var by: String?

    public init(customer: NewCustomer, template: String, by: String? = nil) {
        self.customer = customer
        self.template = template
        self.by = by
    }
}

/// The created customer and its checklist's size.
public struct CreateCustomerResult: Sendable {
    public var customer: CustomerInfo
    public var items: Int
    public var notApplicable: Int
}

extension SOPApplication {
    /// `sop new`: pins the template (id, version, SHA-256) and instantiates the checklist; items
    /// whose `when` is false for the customer are recorded not applicable with the reason.
    public func createCustomer(_ request: CreateCustomerRequest) throws -> CreateCustomerResult {
        let template = try context.template(request.template)
        try RegionNames.validate(request.customer.regions, provider: template.provider, template: template.reference)
        let actor = try context.actor(request.by)
        return try Tracker.with(context, creating: true) { store in
            let customer = try store.createCustomer(request.customer, template: template, by: actor)
            let summary = try store.customerReport(slug: customer.slug).summary
            return CreateCustomerResult(customer: customer, items: summary.total, notApplicable: summary.notApplicable)
        }
    }

    /// `sop customers`: every customer, with the template version each is pinned to.
    public func customers() throws -> [CustomerInfo] {
        try Tracker.with(context) { try $0.customers() }
    }
}

import Foundation
import SOPCore
import SOPStore

extension TrackerContext {
    /// The template a customer is pinned to, refusing a file that changed on disk
    /// without a new version number (its SHA-256 no longer matches the pin).
    static func pinnedTemplate(for customer: CustomerInfo, global: GlobalOptions) throws -> Template {
        let template = try self.template("\(customer.template.id)@\(customer.template.version)", global: global)
        guard template.sha256 == customer.template.sha256 else {
            throw CommandFailure("template \(template.reference) at \(template.path) was edited after \(customer.slug) was pinned to it "
                + "(sha256 \(template.sha256.prefix(12)) ≠ pinned \(customer.template.sha256.prefix(12))); "
                + "a changed template needs a new version number", code: 2)
        }
        return template
    }
}

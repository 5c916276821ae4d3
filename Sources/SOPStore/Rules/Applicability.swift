import SOPCore

/// Items the template's `when` condition rules out for a customer.
///
/// Such an item is recorded not applicable with the condition as its reason, and the
/// `status_cause` column says so: an upgrade may bring it back to todo when the
/// condition starts to hold, while an item a person marked n/a stays as they left it.
enum Applicability {
    /// The `status_cause` of an item made not applicable by its condition.
    static let conditionCause = "condition"

    /// Whether `item`'s condition holds for the customer (no condition: always).
    static func applies(_ item: Item, to attributes: CustomerAttributes) -> Bool {
        item.when.map { $0.evaluate(attributes) } ?? true
    }

    /// The reason recorded on an item its condition rules out.
    static func reason(_ condition: Condition?) -> String {
        "applies only when \(condition?.description ?? "")"
    }

    /// True for an item that is n/a because of its condition rather than by a person's choice.
    static func isRuledOutByCondition(status: String, cause: String?) -> Bool {
        status == ItemStatus.notApplicable.rawValue && cause == conditionCause
    }
}

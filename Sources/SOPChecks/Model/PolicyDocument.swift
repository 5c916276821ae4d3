import Foundation

/// Reading IAM policy documents, as far as checks need to.
enum PolicyDocument {
    static let billingManagedPolicies: Set<String> = [
        "arn:aws:iam::aws:policy/job-function/Billing",
        "arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess",
    ]

    static let billingActionPrefixes = ["aws-portal:", "billing:", "ce:", "budgets:", "cur:", "payments:"]

    /// The Allow statements' actions. Documents may come URL-encoded (AWS does that in
    /// GetAccountAuthorizationDetails); unreadable documents allow nothing.
    static func allowedActions(_ text: String) -> [String] {
        let decoded = text.hasPrefix("%") ? (text.removingPercentEncoding ?? text) : text
        guard let object = try? JSONSerialization.jsonObject(with: Data(decoded.utf8)) as? [String: Any] else {
            return []
        }
        let statements: [[String: Any]]
        if let list = object["Statement"] as? [[String: Any]] {
            statements = list
        } else if let one = object["Statement"] as? [String: Any] {
            statements = [one]
        } else {
            return []
        }
        return statements.filter { ($0["Effect"] as? String) == "Allow" }.flatMap { statement -> [String] in
            if let one = statement["Action"] as? String { return [one] }
            return statement["Action"] as? [String] ?? []
        }
    }

    static func allowsBilling(_ text: String) -> Bool {
        allowedActions(text).contains { action in
            let lower = action.lowercased()
            return billingActionPrefixes.contains { lower.hasPrefix($0) }
        }
    }
}

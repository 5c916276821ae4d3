extension Check {
    /// AWS can reach the right people about security, billing and operations.
    static let accountAlternateContactsSet = Check(
        id: "account_alternate_contacts_set",
        title: "Alternate contacts set",
        items: ["account.alternate-contacts"],
        scope: .global,
        needs: [.alternateContacts],
        criterion: "The SECURITY, BILLING and OPERATIONS alternate contacts are all set.",
        controls: ["CIS 1.2", "Account.1"],
        examples: [
            CheckExample(
                "all three", .pass,
                snapshot: Snapshot {
                    $0.alternateContacts = .value(
                        AlternateContacts(["SECURITY": true, "BILLING": true, "OPERATIONS": true]))
                }),
            CheckExample(
                "security contact missing", .fail, resources: ["SECURITY"],
                snapshot: Snapshot {
                    $0.alternateContacts = .value(
                        AlternateContacts(["SECURITY": false, "BILLING": true, "OPERATIONS": true]))
                }),
        ]
    ) { input throws(FetchFailure) in
        let contacts = try input.snapshot.alternateContacts.get("account:GetAlternateContact")
        let missing = AlternateContacts.types.filter { contacts.configured[$0] != true }.sorted()
        return .failing(
            missing, "alternate contacts not set: \(missing.joined(separator: ", "))",
            else: "security, billing and operations contacts are set")
    }
}

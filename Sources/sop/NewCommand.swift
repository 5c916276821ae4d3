import ArgumentParser
import SOPApp
import SOPCore

/// `sop new`: creates a customer and instantiates its checklist from a template.
struct NewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a customer and instantiate its checklist.",
        discussion: """
            Pins the template's id, version and file SHA-256. Items whose `when` condition is false \
            for the customer are recorded not-applicable with the condition as reason. \
            Billing card data is never accepted in any field.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Short name of the customer: lower-case letters, digits, dashes.") var slug: String
    @Option(help: "Company name.") var name: String
    @Option(help: "The customer's official email (for the AWS root user; required when the template says so).")
    var email: String?
    @Option(help: ArgumentHelp("Template id, optionally with a version.", valueName: "id[@version]"))
    var template: String = "aws-account"
    @Option(help: ArgumentHelp("Compliance regimes, comma-separated (hipaa,gdpr).", valueName: "list"))
    var compliance: [String] = []
    @Option(help: ArgumentHelp("Regions in use, comma-separated (the template's cloud).", valueName: "list"))
    var regions: [String] = []
    @Option(name: .customLong("aws-profile"), help: "AWS CLI profile for verification.") var awsProfile: String?
    @Option(name: .customLong("role-arn"), help: "IAM role to assume for verification.") var roleArn: String?
    @Option(name: .customLong("external-id"), help: "External id for the role (not a secret).") var externalId: String?
    @Option(help: "Who runs the onboarding.") var owner: String?
    @Option(help: ArgumentHelp("Target date.", valueName: "YYYY-MM-DD")) var due: String?
    @Option(help: ArgumentHelp("Template parameter override (repeatable).", valueName: "KEY=VALUE")) var param:
        [String] = []
    @Option(help: "Company address.") var address: String?
    @Option(help: "Company phone number.") var phone: String?
    @Option(
        help: ArgumentHelp(
            "A contact person (repeatable), e.g. \"Jane Doe, CTO, jane@acme.example\".", valueName: "text"))
    var contact: [String] = []
    @Option(help: "Who is creating the customer (default: $SOP_USER, else $USER).") var by: String?
    @Flag(help: "Print the created customer as JSON.") var json = false

    func run() async throws {
        let new = NewCustomer(
            slug: slug, name: name, email: email ?? "", address: address, phone: phone, contacts: contact, owner: owner,
            due: due, compliance: commaSeparated(compliance), regions: commaSeparated(regions), awsProfile: awsProfile,
            roleArn: roleArn, externalId: externalId, parameters: param)
        let created = try global.app.createCustomer(CreateCustomerRequest(customer: new, template: template, by: by))
        let customer = created.customer
        if json {
            TrackerJSON.print(customer)
            return
        }
        print(
            "created \(customer.slug) (\(customer.name)) on \(customer.template.id)@\(customer.template.version): "
                + "\(created.items) items, \(created.notApplicable) not applicable")
    }
}

extension NewCommand: Exemplified {
    static let examples = [
        "sop new acme --name \"Acme Corp\" --email root@acme.example --regions us-east-1",
        "sop new umbrella --name \"Umbrella Health\" --email root@umbrella.example \\",
        "    --compliance hipaa --owner dana --due 2026-12-18",
    ]
}

import ArgumentParser
import SOPApp
import SOPCore

/// `sop customers`: lists customers and the template version each is pinned to.
struct CustomersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "customers", abstract: "List customers.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON: {\"customers\": [...]}.") var json = false

    func run() async throws {
        let customers = try global.app.customers()
        if json {
            TrackerJSON.print(["customers": customers])
            return
        }
        if customers.isEmpty {
            print("no customers yet (create one with 'sop new')")
            return
        }
        let rows = customers.map { c in
            [
                c.slug, c.name, "\(c.template.id)@\(c.template.version)", c.owner ?? "-", c.due ?? "-",
                c.compliance.isEmpty ? "-" : c.compliance.joined(separator: ","),
            ]
        }
        print(TrackerTable.render(header: ["SLUG", "NAME", "TEMPLATE", "OWNER", "DUE", "COMPLIANCE"], rows: rows))
    }
}

extension CustomersCommand: Exemplified {
    static let examples = [
        "sop customers",
        "sop customers --json",
    ]
}

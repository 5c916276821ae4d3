import SOPCore
import SOPStore
import Synchronization

/// The values a customer's template text shows: the customer's parameters over the defaults of
/// the template version they are pinned to (loaded once per version, since a site build asks
/// for every customer). A pinned version that cannot be loaded contributes no defaults; its
/// references stay as written.
final class ParameterDefaults: Sendable {
    private let library: TemplateLibrary
    private let loaded = Mutex<[String: [String: ParameterValue]]>([:])

    init(library: TemplateLibrary) { self.library = library }

    func values(for customer: CustomerInfo) -> [String: ParameterValue] {
        let reference = "\(customer.template.id)@\(customer.template.version)"
        let defaults =
            loaded.withLock { $0[reference] }
            ?? {
                let values = (try? library.load(reference))?.parameterValues() ?? [:]
                loaded.withLock { $0[reference] = values }
                return values
            }()
        return defaults.merging(customer.parameters) { $1 }
    }
}

extension SOPStore.CustomerReport {
    /// The report with parameter references filled in item titles and steps and section titles.
    func filled(_ defaults: ParameterDefaults, escape: (String) -> String = { $0 }) -> SOPStore.CustomerReport {
        let values = defaults.values(for: customer)
        guard !values.isEmpty else { return self }
        var report = self
        for index in report.items.indices {
            report.items[index].title = ParameterText.fill(report.items[index].title, values, escape: escape)
            report.items[index].steps = report.items[index].steps.map {
                ParameterText.fill($0, values, escape: escape)
            }
        }
        for index in report.sections.indices {
            report.sections[index].title = ParameterText.fill(report.sections[index].title, values, escape: escape)
        }
        return report
    }
}

import Foundation
import SOPCore
import SOPStore
import Synchronization

/// The template versions customers are pinned to, loaded once per version (a site build asks
/// for every customer). Text gets its `${name}` values and pages their words from here. A pinned
/// version that cannot be loaded is nil: its references stay as written and the words are the
/// ones the stored checklist implies.
final class PinnedTemplates: Sendable {
    private let library: TemplateLibrary
    private let loaded = Mutex<[String: Template?]>([:])
    private let headers = Mutex<[String: [String: ParameterValue]]>([:])

    init(library: TemplateLibrary) { self.library = library }

    func template(for customer: CustomerInfo) -> Template? {
        let reference = "\(customer.template.id)@\(customer.template.version)"
        if let cached = loaded.withLock({ $0[reference] }) { return cached }
        let template = try? library.load(reference)
        loaded.withLock { $0[reference] = .some(template) }
        return template
    }

    /// The customer's parameters over the defaults of their pinned template. Only the front
    /// matter is read, and only from the file the customer is pinned to (same SHA-256): an
    /// edited file contributes no defaults.
    func values(for customer: CustomerInfo) -> [String: ParameterValue] {
        let pin = customer.template
        let key = "\(pin.id)@\(pin.version) \(pin.sha256)"
        let defaults =
            headers.withLock { $0[key] }
            ?? {
                var values: [String: ParameterValue] = [:]
                if let entry = try? library.entry(for: "\(pin.id)@\(pin.version)"),
                    FileKind.problemReading(entry.url.path, directoryNoun: "a template file") == nil,
                    let data = try? Data(contentsOf: entry.url), ContentHash.sha256Hex(data) == pin.sha256,
                    let header = TemplateHeader(data: data)
                {
                    values = header.parameterValues
                }
                headers.withLock { $0[key] = values }
                return values
            }()
        return defaults.merging(customer.parameters) { $1 }
    }
}

extension SOPStore.CustomerReport {
    /// The report with parameter references filled in item titles and steps and section titles.
    func filled(_ defaults: PinnedTemplates, escape: (String) -> String = { $0 }) -> SOPStore.CustomerReport {
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

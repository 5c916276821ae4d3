import Foundation
import SOPCore
import SOPStore
import Synchronization

/// The front matter of the template versions customers are pinned to, read once per version
/// (a site build asks for every customer) and only from the file the customer is pinned to (same
/// SHA-256): text gets its `${name}` defaults and pages their words from here, without parsing a
/// whole SOP. A pinned file that is missing or edited gives nothing: references stay as written
/// and the words are the ones the stored checklist implies.
final class PinnedTemplates: Sendable {
    private let library: TemplateLibrary
    private let headers = Mutex<[String: TemplateHeader?]>([:])
    private let validities = Mutex<[String: [String: ValidityPeriod]]>([:])

    init(library: TemplateLibrary) { self.library = library }

    func header(for customer: CustomerInfo) -> TemplateHeader? {
        let pin = customer.template
        let key = "\(pin.id)@\(pin.version) \(pin.sha256)"
        if let cached = headers.withLock({ $0[key] }) { return cached }
        var header: TemplateHeader?
        if let entry = try? library.entry(for: "\(pin.id)@\(pin.version)"),
            FileKind.problemReading(entry.url.path, directoryNoun: "a template file") == nil,
            let data = try? Data(contentsOf: entry.url), ContentHash.sha256Hex(data) == pin.sha256
        {
            header = TemplateHeader(data: data)
        }
        headers.withLock { $0[key] = .some(header) }
        return header
    }

    /// How long each item's evidence stays current (`valid_for`), from the pinned file (same
    /// SHA-256), read once per version (``ValidityScan``, else a full parse); empty when the file
    /// is missing, edited or has none.
    func validity(for customer: CustomerInfo) -> [String: ValidityPeriod] {
        let pin = customer.template
        let key = "\(pin.id)@\(pin.version) \(pin.sha256)"
        if let cached = validities.withLock({ $0[key] }) { return cached }
        var periods: [String: ValidityPeriod] = [:]
        if let entry = try? library.entry(for: "\(pin.id)@\(pin.version)"),
            FileKind.problemReading(entry.url.path, directoryNoun: "a template file") == nil,
            let data = try? Data(contentsOf: entry.url), ContentHash.sha256Hex(data) == pin.sha256
        {
            if let scanned = ValidityScan.periods(in: String(decoding: data, as: UTF8.self)) {
                periods = scanned
            } else if let template = try? TemplateParser().parse(data: data, path: entry.url.path) {
                for item in template.items { if let period = item.validFor { periods[item.id] = period } }
            }
        }
        validities.withLock { $0[key] = periods }
        return periods
    }

    /// How long verification results stay current: the `verification_valid_for` parameter
    /// (the customer's value over the template's default); nil when neither sets one or the
    /// value does not parse (template lint reports a bad default).
    func checkValidity(for customer: CustomerInfo) -> ValidityPeriod? {
        guard let text = values(for: customer)["verification_valid_for"]?.stringValue else { return nil }
        return try? ValidityPeriod.parse(text)
    }

    /// The customer's parameters over the defaults of their pinned template.
    func values(for customer: CustomerInfo) -> [String: ParameterValue] {
        (header(for: customer)?.parameterValues ?? [:]).merging(customer.parameters) { $1 }
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

extension SOPStore.CustomerReport {
    /// The report with evidence aged by the pinned template's `valid_for` and the customer's
    /// `verification_valid_for` (see ``EvidenceAgeing``).
    func aged(_ pinned: PinnedTemplates) -> SOPStore.CustomerReport {
        EvidenceAgeing.apply(
            to: self, validity: pinned.validity(for: customer), checkValidity: pinned.checkValidity(for: customer))
    }
}

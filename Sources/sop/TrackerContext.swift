import Foundation
import SOPCore
import SOPStore

/// What the tracker commands share: opening the store from `--db`/`SOP_DB`, the clock
/// (`SOP_NOW`), who is acting, and turning store errors into exit codes.
struct TrackerContext {
    let store: Store
    let environment: [String: String]

    /// Opens the database named by `--db`, else `$SOP_DB`, else the default path.
    static func open(_ global: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrackerContext {
        let path = databasePath(global, environment: environment)
        let now = try clock(environment)
        var maxBytes = Store.defaultMaxEvidenceBytes
        if let text = environment["SOP_MAX_EVIDENCE_BYTES"], !text.isEmpty {
            guard let value = Int(text), value > 0 else {
                throw CommandFailure("SOP_MAX_EVIDENCE_BYTES: '\(text)' is not a positive number of bytes")
            }
            maxBytes = value
        }
        let store = try mapped { try Store.open(path: path, now: now, maxEvidenceBytes: maxBytes) }
        return TrackerContext(store: store, environment: environment)
    }

    static func databasePath(_ global: GlobalOptions, environment: [String: String]) -> String {
        if let db = global.db, !db.isEmpty { return db }
        if let db = environment["SOP_DB"], !db.isEmpty { return db }
        return Store.defaultPath(environment: environment)
    }

    /// The clock: `SOP_NOW` (ISO-8601 or YYYY-MM-DD) pins "now" for tests and demos.
    static func clock(_ environment: [String: String]) throws -> @Sendable () -> Date {
        guard let text = environment["SOP_NOW"], !text.isEmpty else { return { Date() } }
        guard let fixed = Timestamps.parseInstant(text) else {
            throw CommandFailure("SOP_NOW: '\(text)' is not an ISO-8601 time (like 2026-03-02T09:00:00Z)")
        }
        return { fixed }
    }

    /// `--by`, else `$SOP_USER`, else `$USER`.
    func actor(_ by: String?) -> String {
        for candidate in [by, environment["SOP_USER"], environment["USER"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        }
        return "unknown"
    }

    /// Runs a store call, closing the store afterwards and mapping its errors to exit codes.
    func run<T>(_ body: (Store) throws -> T) throws -> T {
        defer { store.close() }
        return try Self.mapped { try body(store) }
    }

    /// Store errors: bad input and refusals exit 2, integrity problems exit 1.
    static func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw CommandFailure(StoreErrorWording.text(for: error), code: error.kind == .integrity ? 1 : 2)
        }
    }

    /// Loads a template reference (`id` or `id@version`); problems exit 2.
    static func template(_ reference: String, global: GlobalOptions) throws -> Template {
        do {
            return try global.templateLibrary().load(reference)
        } catch let error as TemplateLibraryError {
            throw CommandFailure(error.description)
        } catch let error as TemplateErrors {
            throw CommandFailure("template \(reference) is not valid: \(error.diagnostics.first?.description ?? "")")
        } catch {
            throw CommandFailure("cannot load template \(reference): \(error)")
        }
    }
}

/// JSON output for `--json`: snake-case keys, sorted, pretty-printed, slashes unescaped.
enum TrackerJSON {
    static func print<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return }
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// Splits comma-separated option values (`--regions a,b --regions c`).
func commaSeparated(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

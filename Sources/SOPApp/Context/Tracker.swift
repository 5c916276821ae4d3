import Foundation
import SOPChecks
import SOPCore
import SOPStore

/// The tracker as the use cases open it: the store named by the context, its errors turned
/// into ``AppError``s, the template library the context names.
struct Tracker {
    let store: Store
    let context: AppContext
    /// Whether this tracker was opened for one use case (and is closed after it), rather than
    /// being the one a long-running front end keeps open (``AppContext/openTracker``).
    var owned = true

    /// Opens the database named by `--db`, else `$SOP_DB`, else the default path. Only use cases
    /// that create data (`creating`) may create a missing database.
    static func open(_ context: AppContext, creating: Bool = false) throws -> Tracker {
        if let shared = context.openTracker { return Tracker(store: shared, context: context, owned: false) }
        if let database = context.database, database.isEmpty {
            throw AppError.badInput("--db: an empty path (name the tracker database file)")
        }
        let now = try context.clock()
        var maxBytes = Store.defaultMaxEvidenceBytes
        if let text = context.environment["SOP_MAX_EVIDENCE_BYTES"], !text.isEmpty {
            guard let value = Int(text), value > 0 else {
                throw AppError.badInput("SOP_MAX_EVIDENCE_BYTES: '\(text)' is not a positive number of bytes")
            }
            maxBytes = value
        }
        let store = try mapped(context) {
            switch TrackerLocation(context.databasePath) {
            case .server(let connection):
                try Store.open(server: connection, now: now, maxEvidenceBytes: maxBytes)
            case .file(let path):
                try Store.open(path: path, now: now, maxEvidenceBytes: maxBytes, create: creating)
            }
        }
        return Tracker(store: store, context: context)
    }

    /// The SQLite file `--db` names, for the commands that replace a file (`sop restore`); a
    /// connection string must never become a file name.
    static func filePath(_ context: AppContext, for command: String) throws -> String {
        let path = context.databasePath
        if case .server(let connection) = TrackerLocation(path) {
            throw AppError.badInput(
                "--db \(connection.redacted): `\(command)` replaces a tracker file; onto a PostgreSQL server use `sop db copy --from FILE --to …` (it refuses a non-empty target)"
            )
        }
        return path
    }

    /// Opens the tracker, runs `body` on the store and closes it, mapping store errors.
    static func with<T>(_ context: AppContext, creating: Bool = false, _ body: (Store) throws -> T) throws -> T {
        let tracker = try open(context, creating: creating)
        return try tracker.run(body)
    }

    /// Runs a store call, closing the store afterwards and mapping its errors.
    func run<T>(_ body: (Store) throws -> T) throws -> T {
        defer { if owned { store.close() } }
        return try Self.mapped(context) { try body(store) }
    }

    /// Runs a store call with its errors mapped.
    func mapped<T>(_ body: () throws -> T) throws -> T { try Self.mapped(context, body) }

    /// Store errors: bad input and refusals are bad input, integrity problems are not OK; the
    /// message names inputs the way the front end does.
    static func mapped<T>(_ context: AppContext, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw AppError(
                error.kind == .integrity ? .notOK : .badInput,
                InputWording(naming: context.inputNaming).text(for: error))
        }
    }
}

extension AppContext {
    /// The template library: `--templates`, then `$SOP_TEMPLATES`, then the shipped `Templates/`;
    /// `template lint` and `new` accept exactly the check catalog's ids.
    public var templateLibrary: TemplateLibrary {
        TemplateLibrary(
            searchPaths: TemplateLibrary.defaultSearchPaths(explicit: templateFolders, environment: environment),
            knownChecks: Set(CheckCatalog.ids))
    }

    /// Loads a template reference (`id` or `id@version`); problems are bad input.
    public func template(_ reference: String) throws -> Template {
        do {
            return try templateLibrary.load(reference)
        } catch let error as TemplateLibraryError {
            throw AppError.badInput(error.description)
        } catch let error as TemplateErrors {
            throw AppError.badInput("template \(reference) is not valid: \(error.diagnostics.first?.description ?? "")")
        } catch {
            throw AppError.badInput("cannot load template \(reference): \(error)")
        }
    }

    /// The template a customer is pinned to, refusing a file that changed on disk without a new
    /// version number (its SHA-256 no longer matches the pin).
    func pinnedTemplate(for customer: CustomerInfo) throws -> Template {
        let reference = "\(customer.template.id)@\(customer.template.version)"
        // The pin is checked first: for a customer in flight "edited after it was pinned" is the
        // news, whatever else is wrong with the file.
        if let entry = try? templateLibrary.entry(for: reference), FileKind.of(entry.url.path) == .regular,
            let data = FileManager.default.contents(atPath: entry.url.path)
        {
            try PinCheck.require(
                sha256: ContentHash.sha256Hex(data), path: entry.url.path, pin: customer.template, slug: customer.slug)
        }
        let template = try self.template(reference)
        try PinCheck.require(sha256: template.sha256, path: template.path, pin: customer.template, slug: customer.slug)
        return template
    }
}

/// The one rule for a pinned template file: its SHA-256 must still be the pinned one.
enum PinCheck {
    static func require(sha256: String, path: String, pin: TemplatePin, slug: String) throws {
        guard sha256 == pin.sha256 else {
            throw AppError.badInput(
                "template \(pin.id)@\(pin.version) at \(path) was edited after \(slug) was pinned to it "
                    + "(sha256 \(sha256.prefix(12)) ≠ pinned \(pin.sha256.prefix(12))); "
                    + "a changed template needs a new version number")
        }
    }
}

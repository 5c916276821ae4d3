import Foundation

/// Builds the static wiki site as a pipeline of named steps, in a temporary folder next
/// to the destination that is swapped in whole (nobody browsing sees half a site).
///
/// ```
/// copyTheme → writeIndex → writeCustomerPages → writeTemplatePages → writeActivity
/// ```
/// Every link is relative, so the site works from `file://` and any static host.
public struct SiteBuilder: Sendable {
    public var input: SiteInput

    public init(input: SiteInput) { self.input = input }

    /// A step of the pipeline: its name (for messages) and what it writes.
    struct Step: Sendable {
        var name: String
        var run: @Sendable (SitePages, OutputFolder) throws -> [String]
    }

    static let steps: [Step] = [
        Step(name: "copy theme") { _, out in
            try out.write(SiteTheme.path, SiteTheme.css)
            return [SiteTheme.path]
        },
        Step(name: "write index") { pages, out in
            try out.write("index.html", pages.index())
            return ["index.html"]
        },
        Step(name: "write customer pages") { pages, out in
            try CustomerPageWriter(pages: pages).write { path, html in try out.write(path, html) }
        },
        Step(name: "write template pages") { pages, out in
            try pages.input.templates.map { template in
                let path = pages.layout.templateFiles[template.reference] ?? "templates/template.html"
                try out.write(path, pages.template(template))
                return path
            }
        },
        Step(name: "write activity") { pages, out in
            try out.write("activity.html", pages.activity())
            return ["activity.html"]
        },
    ]

    /// The pages as path → HTML, without touching the disk (for tests and publishers).
    public func render() throws -> [String: String] {
        let pages = SitePages(input: sortedInput, layout: SiteLayout(input: sortedInput))
        var files: [String: String] = [
            SiteTheme.path: SiteTheme.css, "index.html": pages.index(), "activity.html": pages.activity(),
        ]
        let rendered = RenderedPages()
        _ = try CustomerPageWriter(pages: pages).write { path, html in rendered.add(path, html) }
        files.merge(rendered.all, uniquingKeysWith: { first, _ in first })
        for template in pages.input.templates {
            if let path = pages.layout.templateFiles[template.reference] { files[path] = pages.template(template) }
        }
        return files
    }

    /// The file that marks a folder as a site sop built (so rebuilding may replace it).
    public static let marker = ".sop-site"

    /// Writes the site to `destination`, replacing what was there; returns the files written.
    ///
    /// The destination may be missing, empty, a previous build (it has ``marker``), or hold
    /// only the theme (the repository's `site/` with `theme/`); anything else is refused
    /// unless `force`, so a mistyped `--out` never wipes unrelated files.
    @discardableResult
    public func build(to destination: URL, force: Bool = false) throws -> [String] {
        try Self.checkDestination(destination, force: force)
        let input = sortedInput
        let pages = SitePages(input: input, layout: SiteLayout(input: input))
        return try DirectorySwap(destination: destination).run { folder in
            let out = OutputFolder(root: folder)
            var written: [String] = []
            for step in Self.steps {
                do {
                    written += try step.run(pages, out)
                } catch let error as RenderError {
                    throw error
                } catch {
                    throw RenderError("site step '\(step.name)' failed: \(String(describing: error))")
                }
            }
            try out.write(Self.marker, "Built by sop; this whole folder is replaced by the next 'sop site build'.\n")
            return written.sorted()
        }
    }

    static func checkDestination(_ destination: URL, force: Bool) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: destination.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw RenderError("\(destination.path) exists and is not a folder") }
        let contents = ((try? fm.contentsOfDirectory(atPath: destination.path)) ?? []).filter { $0 != ".DS_Store" }
        if force || contents.isEmpty || contents.contains(marker) || contents == ["theme"] { return }
        throw RenderError(
            "\(destination.path) is not empty and is not a site built by sop (no \(marker)); choose another folder or pass --force to replace it"
        )
    }

    /// Templates by id then version, so output does not depend on directory listing order.
    var sortedInput: SiteInput {
        var copy = input
        copy.templates = input.templates.sorted { ($0.id, $0.version) < ($1.id, $1.version) }
        return copy
    }
}

/// Pages collected in memory from the writer's threads.
private final class RenderedPages: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: String] = [:]
    var all: [String: String] { lock.withLock { files } }
    func add(_ path: String, _ html: String) { lock.withLock { files[path] = html } }
}

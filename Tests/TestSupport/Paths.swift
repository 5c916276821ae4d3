import Foundation

/// Locations tests need: the repository, the shipped templates, the built products.
public enum Paths {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }()

    public static var templatesDirectory: URL { repositoryRoot.appendingPathComponent("Templates") }

    /// Templates that exist only for tests (an employee-offboarding SOP that is not about AWS).
    public static var fixtureTemplatesDirectory: URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/templates")
    }

    public static var shippedTemplate: URL {
        templatesDirectory.appendingPathComponent("aws-account/1.0.0.md")
    }

    /// The folder holding the built `sop` executable next to the test bundle.
    public static let productsDirectory: URL = {
        if let env = ProcessInfo.processInfo.environment["SOP_PRODUCTS_DIR"] {
            return URL(fileURLWithPath: env)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("sop").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug")
    }()

    public static var sopExecutable: URL { productsDirectory.appendingPathComponent("sop") }
}

/// A fresh temporary directory, removed when the value is deinitialised.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL

    public init(_ prefix: String = "sop-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL {
        let file = path(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

import Foundation

/// `~/.aws/config` and `~/.aws/credentials`, read as the AWS CLI reads them.
///
/// In the config file profiles are `[default]` or `[profile name]`; in the credentials file
/// `[name]`. For the same profile the credentials file's keys win. Keys are lower-cased.
public struct SharedConfig: Sendable {
    /// One profile's settings.
    public struct Profile: Sendable, Equatable {
        public var name: String
        public var values: [String: String]
        /// Indented sub-settings (`s3 =` followed by `  addressing_style = path`).
        public var nested: [String: [String: String]]

        public init(name: String, values: [String: String] = [:], nested: [String: [String: String]] = [:]) {
            self.name = name
            self.values = values
            self.nested = nested
        }

        public subscript(_ key: String) -> String? {
            guard let value = values[key], !value.isEmpty else { return nil }
            return value
        }
    }

    public var profiles: [String: Profile]
    /// `[services name]` sections: service key → settings.
    public var services: [String: [String: [String: String]]]

    public init(profiles: [String: Profile] = [:], services: [String: [String: [String: String]]] = [:]) {
        self.profiles = profiles
        self.services = services
    }

    /// Loads both files; a missing file is fine, an unreadable or malformed one is an error.
    public static func load(_ environment: AWSEnvironment) throws -> SharedConfig {
        var config = SharedConfig()
        if let text = try read(environment.configFile) {
            for section in try parse(text, file: environment.configFile.path) {
                if section.name == "default" {
                    config.merge(Profile(name: "default", values: section.values, nested: section.nested))
                } else if section.name.hasPrefix("profile ") {
                    let name = section.name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
                    config.merge(Profile(name: name, values: section.values, nested: section.nested))
                } else if section.name.hasPrefix("services ") {
                    let name = section.name.dropFirst("services ".count).trimmingCharacters(in: .whitespaces)
                    config.services[name] = section.nested
                }
            }
        }
        if let text = try read(environment.credentialsFile) {
            for section in try parse(text, file: environment.credentialsFile.path) {
                config.merge(Profile(name: section.name, values: section.values, nested: section.nested))
            }
        }
        return config
    }

    /// The `[services x]` section a profile points at with `services = x`.
    public func servicesSection(for profile: Profile?) -> [String: [String: String]] {
        guard let name = profile?["services"] else { return [:] }
        return services[name] ?? [:]
    }

    private mutating func merge(_ profile: Profile) {
        var merged = profiles[profile.name] ?? Profile(name: profile.name)
        merged.values.merge(profile.values) { _, new in new }
        merged.nested.merge(profile.nested) { _, new in new }
        profiles[profile.name] = merged
    }

    private static func read(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AWSError.configuration("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    struct Section {
        var name: String
        var values: [String: String] = [:]
        var nested: [String: [String: String]] = [:]
    }

    /// INI as Python's `RawConfigParser` reads it (no inline comments). Errors name the file and
    /// line but never the line's text, which may hold a secret.
    static func parse(_ text: String, file: String) throws -> [Section] {
        var sections: [Section] = []
        var parentKey: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw AWSError.configuration("\(file):\(index + 1): unterminated section header")
                }
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                sections.append(Section(name: name))
                parentKey = nil
                continue
            }
            guard !sections.isEmpty else {
                throw AWSError.configuration("\(file):\(index + 1): setting outside any [section]")
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" }) ?? trimmed.firstIndex(of: ":") else {
                throw AWSError.configuration("\(file):\(index + 1): expected `key = value`")
            }
            let key = trimmed[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            let indented = line.first == " " || line.first == "\t"
            let last = sections.count - 1
            if indented, let parent = parentKey {
                sections[last].nested[parent, default: [:]][key] = value
            } else {
                sections[last].values[key] = value
                parentKey = value.isEmpty ? key : nil
            }
        }
        return sections
    }
}

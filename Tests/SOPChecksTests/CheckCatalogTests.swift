import Foundation
import SOPCore
import TestSupport
import Testing

@testable import SOPChecks

/// The one generic test over the whole catalog (SwiftLint's model): every check's own
/// examples, and the metadata rules every check must keep.
@Suite struct CheckCatalogTests {
    @Test func everyExampleReachesItsOutcome() {
        for check in CheckCatalog.all {
            for example in check.examples {
                let result = check.evaluate(example.input(for: check))
                #expect(
                    result.outcome == example.expected,
                    "\(check.id) / \(example.name): expected \(example.expected.rawValue), got \(result.outcome.rawValue): \(result.summary)"
                )
                if let resources = example.resources {
                    #expect(
                        Set(resources).isSubset(of: Set(result.resources)),
                        "\(check.id) / \(example.name): resources \(result.resources) lack \(resources)")
                }
                #expect(!result.summary.isEmpty, "\(check.id) / \(example.name): empty summary")
                if result.outcome == .fail && example.resources != nil {
                    #expect(!result.resources.isEmpty, "\(check.id) / \(example.name): a failure names no resource")
                }
            }
        }
    }

    @Test func everyCheckHasPassingAndFailingExamples() {
        for check in CheckCatalog.all {
            #expect(check.examples.contains { $0.expected == .pass }, "\(check.id) has no passing example")
            #expect(check.examples.contains { $0.expected == .fail }, "\(check.id) has no failing example")
        }
    }

    @Test func idsAreUniqueAndShaped() {
        let ids = CheckCatalog.ids
        #expect(Set(ids).count == ids.count, "duplicate check ids")
        for id in ids {
            let parts = id.split(separator: "_", omittingEmptySubsequences: false)
            #expect(parts.count >= 3, "\(id) is not <service>_<resource>_<state>")
            #expect(
                parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } },
                "\(id) has bad characters")
        }
    }

    @Test func metadataIsComplete() {
        for check in CheckCatalog.all {
            #expect(
                !check.title.isEmpty && check.title.count <= 50,
                "\(check.id): title '\(check.title)' is empty or too long")
            #expect(!check.title.hasSuffix("."), "\(check.id): title ends with a period")
            #expect(!check.items.isEmpty, "\(check.id) verifies no item")
            #expect(!check.needs.isEmpty, "\(check.id) needs no data")
            #expect(!check.criterion.isEmpty, "\(check.id) has no pass criterion")
            if check.scope == .regional {
                #expect(
                    check.needs.contains { $0.scope == .regional },
                    "\(check.id) is regional but reads only account-wide data")
            }
        }
    }

    /// `Checks/<Service>/<CheckIdInUpperCamel>.swift`, the folder matching the id's service prefix.
    @Test func fileLayoutMatchesIds() throws {
        for check in CheckCatalog.all {
            let url = URL(fileURLWithPath: check.sourcePath)
            let folder = url.deletingLastPathComponent().lastPathComponent
            #expect(
                url.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent == "Checks",
                "\(check.id) is declared outside Checks/: \(check.sourcePath)")
            #expect(
                CheckCatalog.serviceFolders[check.service] == folder,
                "\(check.id): service \(check.service) does not belong in folder \(folder)")
            let stem = url.deletingPathExtension().lastPathComponent.lowercased()
            #expect(
                stem == check.id.replacingOccurrences(of: "_", with: ""),
                "\(check.id) lives in \(url.lastPathComponent)")
        }
        let checksDirectory = Paths.repositoryRoot.appendingPathComponent("Sources/SOPChecks/Checks")
        let registered = Set(CheckCatalog.all.map { URL(fileURLWithPath: $0.sourcePath).lastPathComponent })
        for folder in try FileManager.default.contentsOfDirectory(atPath: checksDirectory.path) {
            let files = try FileManager.default.contentsOfDirectory(
                atPath: checksDirectory.appendingPathComponent(folder).path)
            for file in files where file.hasSuffix(".swift") {
                #expect(registered.contains(file), "Checks/\(folder)/\(file) is not registered in CheckCatalog.all")
            }
        }
    }

    @Test func everyCallIsOnTheClientAllowlist() {
        for check in CheckCatalog.all {
            for call in check.calls {
                #expect(call.isAllowlisted, "\(check.id) calls \(call), which the client refuses")
                #expect(!call.iamActions.isEmpty)
            }
        }
        for call in APICall.runPrerequisites { #expect(call.isAllowlisted) }
    }

    /// Checks and shipped templates agree: every item a check names exists, every check a
    /// template names exists, and a check lists exactly the items that name it.
    @Test func checksAndTemplatesAgree() throws {
        let templates = try ShippedTemplates.all()
        #expect(templates.count >= 2)
        var itemsNamingCheck: [String: Set<String>] = [:]
        var allItems = Set<String>()
        for template in templates {
            for item in template.items {
                allItems.insert(item.id)
                for check in item.checks {
                    #expect(
                        CheckCatalog.check(check) != nil,
                        "\(template.reference) item \(item.id) names unknown check \(check)")
                    itemsNamingCheck[check, default: []].insert(item.id)
                }
            }
        }
        for check in CheckCatalog.all {
            for item in check.items {
                #expect(allItems.contains(item), "\(check.id) names item \(item), which no shipped template has")
            }
            #expect(
                Set(check.items) == itemsNamingCheck[check.id, default: []],
                "\(check.id) lists \(check.items.sorted()) but templates name it on \(itemsNamingCheck[check.id, default: []].sorted())"
            )
        }
    }

    /// A check's fallback default has the same shape as the template's parameter.
    @Test func parameterDefaultsMatchTemplates() throws {
        for template in try ShippedTemplates.all() {
            for check in CheckCatalog.all {
                for parameter in check.parameters {
                    guard let declared = template.parameter(parameter.name) else { continue }
                    #expect(
                        declared.defaultValue.shape == parameter.defaultValue.shape,
                        "\(check.id) reads \(parameter.name) as \(parameter.defaultValue), \(template.reference) declares \(declared.defaultValue)"
                    )
                }
            }
        }
    }

    @Test func iamPolicyIsSortedDeterministicJSON() throws {
        let text = CheckCatalog.iamPolicyJSON(for: CheckCatalog.all)
        #expect(text == CheckCatalog.iamPolicyJSON(for: CheckCatalog.all.reversed()))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let statement = try #require((object["Statement"] as? [[String: Any]])?.first)
        let actions = try #require(statement["Action"] as? [String])
        #expect(actions == actions.sorted())
        #expect(Set(actions).count == actions.count)
        for expected in [
            "sts:GetCallerIdentity", "ec2:DescribeRegions", "cloudwatch:DescribeAlarms", "budgets:ViewBudget",
            "s3:GetEncryptionConfiguration", "s3:GetAccountPublicAccessBlock", "iam:GenerateCredentialReport",
        ] {
            #expect(actions.contains(expected), "policy lacks \(expected)")
        }
        #expect(!actions.contains { $0.hasPrefix("monitoring:") })
        let onlyPassword = CheckCatalog.iamActions(for: [.iamPasswordPolicyStrong])
        #expect(onlyPassword == ["ec2:DescribeRegions", "iam:GetAccountPasswordPolicy", "sts:GetCallerIdentity"])
    }
}

enum ShippedTemplates {
    static func all() throws -> [Template] {
        let library = TemplateLibrary(searchPaths: [Paths.templatesDirectory])
        return try library.entries().map { try library.load($0.reference) }
    }
}

extension ParameterValue {
    var shape: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .list: return "list"
        }
    }
}

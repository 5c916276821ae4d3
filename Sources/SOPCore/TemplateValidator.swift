/// Cross-item rules that need the whole template: unique ids, known roles,
/// dependencies that exist and do not loop, parameters that are defined.
struct TemplateValidator {
    let template: Template
    let knownChecks: Set<String>?
    let rolesDeclared: Bool
    let textReferences: [(name: String, position: SourcePosition)]
    let report: (SourcePosition, String) -> Void

    mutating func validate() {
        let roles = Set(template.roles)
        var firstSeen: [String: Item] = [:]
        for item in template.items where !item.id.isEmpty {
            let idPosition = item.metadataPositions["id"] ?? item.position
            if !Identifier.isItemID(item.id) {
                report(
                    idPosition,
                    "item id '\(item.id.prefix(60))' must be lowercase letters and digits joined by '.' or '-', starting with a letter"
                )
            }
            if let earlier = firstSeen[item.id] {
                report(idPosition, "duplicate item id '\(item.id)' (first used at line \(earlier.position.line))")
            } else {
                firstSeen[item.id] = item
            }
            if rolesDeclared {
                for role in item.signoff where !roles.contains(role) {
                    report(
                        item.metadataPositions["signoff"] ?? item.position,
                        "unknown role '\(role)' in signoff (roles: \(template.roles.joined(separator: ", ")))")
                }
                if let owner = item.owner, !roles.contains(owner) {
                    report(
                        item.metadataPositions["owner"] ?? item.position,
                        "unknown owner role '\(owner)' (roles: \(template.roles.joined(separator: ", ")))")
                }
            }
            for check in item.checks {
                let where_ = item.metadataPositions["checks"] ?? item.position
                if !Identifier.isCheckID(check) {
                    report(where_, "check id '\(check.prefix(60))' must look like service_resource_state")
                } else if let knownChecks, !knownChecks.contains(check) {
                    report(where_, "unknown check '\(check)' (not in the check catalog)")
                }
            }
            if item.checks.isEmpty == false, !item.evidence.contains(.check) {
                report(
                    item.metadataPositions["checks"] ?? item.position,
                    "item '\(item.id)' names checks but its evidence does not include 'check'")
            }
            if item.evidence.contains(.check), item.checks.isEmpty {
                report(
                    item.metadataPositions["evidence"] ?? item.position,
                    "item '\(item.id)' requires check evidence but names no checks")
            }
            if let condition = item.when {
                for attribute in condition.attributes where attribute.hasPrefix("param.") {
                    let name = String(attribute.dropFirst(6))
                    if template.parameter(name) == nil {
                        report(
                            item.metadataPositions["when"] ?? item.position,
                            "condition uses parameter '\(name)', which is not defined in the front matter")
                    }
                }
            }
            for replaced in item.replaces where !Identifier.isItemID(replaced) {
                report(
                    item.metadataPositions["replaces"] ?? item.position,
                    "replaces: '\(replaced.prefix(60))' is not an item id")
            }
        }
        validateDependencies(ids: Set(firstSeen.keys))
        validateDueRules(ids: Set(firstSeen.keys))
        validateProvider()
        for section in template.sections {
            if rolesDeclared {
                for role in section.signoff where !roles.contains(role) {
                    report(
                        section.signoffPosition ?? section.position,
                        "unknown role '\(role)' in section \(section.number) signoff")
                }
            }
            let hasChildren = template.sections.contains { $0.parentNumber == section.number }
            let hasItems = template.items.contains { $0.section == section.number }
            if !hasChildren, !hasItems, section.notes.isEmpty {
                report(section.position, "section \(section.number) is empty (no items, no text)")
            }
        }
        if template.items.isEmpty, !template.sections.isEmpty {
            report(template.sections[0].position, "template has no checklist items ('- [ ] …')")
        } else if template.sections.isEmpty {
            report(.start, "template has no numbered sections")
        }
        for reference in textReferences where template.parameter(reference.name) == nil {
            report(
                reference.position,
                "parameter '${\(reference.name.prefix(60))}' is referenced but not defined in the front matter")
        }
    }

    /// Checks are AWS checks, and a region named in a condition must be one the template's
    /// provider has, or the condition could never come true.
    private func validateProvider() {
        let provider = template.provider
        if let declared = template.subjectWords.provider, declared != .cloud(.aws),
            let item = template.items.first(where: { !$0.checks.isEmpty })
        {
            report(
                item.metadataPositions["checks"] ?? item.position,
                "item '\(item.id)' names checks, which run against AWS, but the template's provider is \(provider?.rawValue ?? "none")"
            )
        }
        for item in template.items {
            guard let condition = item.when else { continue }
            let where_ = item.metadataPositions["when"] ?? item.position
            for comparison in condition.comparisons where comparison.attribute == "regions" {
                guard let provider else {
                    report(
                        where_,
                        "condition reads regions, but the template's provider is none (say provider: aws, gcp or azure)"
                    )
                    break
                }
                if !provider.isRegion(comparison.value) {
                    report(
                        where_,
                        "condition names region '\(comparison.value.prefix(40))', which is not \(provider.regionWording); say the template's provider in its front matter"
                    )
                }
            }
        }
    }

    /// Due rules anchored on an item that does not exist, on the item itself, or in a cycle
    /// (`a` after `b` after `a`): such an item could never be given a date. Each item has at most
    /// one anchor, so following anchors from every item finds every cycle; each is named once.
    private func validateDueRules(ids: Set<String>) {
        var anchors: [String: String] = [:]
        for item in template.items where !item.id.isEmpty {
            guard let anchor = item.due?.anchorItem else { continue }
            let where_ = item.metadataPositions["due"] ?? item.position
            if anchor == item.id {
                report(where_, "item '\(item.id)' is due after itself")
            } else if !ids.contains(anchor) {
                report(where_, "item '\(item.id)' is due after unknown item '\(anchor.prefix(60))'")
            } else {
                anchors[item.id] = anchor
            }
        }
        var cleared = Set<String>()
        for item in template.items where anchors[item.id] != nil && !cleared.contains(item.id) {
            var path: [String] = []
            var current: String? = item.id
            while let id = current, !cleared.contains(id) {
                if let from = path.firstIndex(of: id) {
                    // Named from, and reported at, its first item in template order, so the
                    // message is the same whichever item the walk started at.
                    let members = Array(path[from...])
                    let first = template.items.first { members.contains($0.id) }
                    let start = first.flatMap { members.firstIndex(of: $0.id) } ?? 0
                    let cycle = Array(members[start...] + members[..<start]) + [members[start]]
                    report(
                        first?.metadataPositions["due"] ?? first?.position ?? .start,
                        "due-rule cycle: \(cycle.joined(separator: " → "))")
                    break
                }
                path.append(id)
                current = anchors[id]
            }
            cleared.formUnion(path)
        }
    }

    /// Dangling ids, self-dependencies and cycles (iterative DFS, so long chains are fine).
    private func validateDependencies(ids: Set<String>) {
        var graph: [String: [String]] = [:]
        for item in template.items where !item.id.isEmpty {
            let where_ = item.metadataPositions["depends"] ?? item.position
            for dependency in item.depends {
                if dependency == item.id {
                    report(where_, "item '\(item.id)' depends on itself")
                } else if !ids.contains(dependency) {
                    report(where_, "item '\(item.id)' depends on unknown item '\(dependency.prefix(60))'")
                } else {
                    graph[item.id, default: []].append(dependency)
                }
            }
        }
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var reported = Set<String>()
        for start in template.items.map(\.id) where marks[start] == nil && !start.isEmpty {
            var stack: [(String, Int)] = [(start, 0)]
            var path: [String] = [start]
            marks[start] = .visiting
            while let (node, index) = stack.last {
                let edges = graph[node] ?? []
                if index < edges.count {
                    stack[stack.count - 1].1 += 1
                    let next = edges[index]
                    switch marks[next] {
                    case .visiting?:
                        if let from = path.firstIndex(of: next), reported.insert(next).inserted {
                            let cycle = path[from...] + [next]
                            let item = template.item(node)
                            report(
                                item?.metadataPositions["depends"] ?? item?.position ?? .start,
                                "dependency cycle: \(cycle.joined(separator: " → "))")
                        }
                    case .done?:
                        break
                    case nil:
                        marks[next] = .visiting
                        stack.append((next, 0))
                        path.append(next)
                    }
                } else {
                    marks[node] = .done
                    stack.removeLast()
                    path.removeLast()
                }
            }
        }
    }
}

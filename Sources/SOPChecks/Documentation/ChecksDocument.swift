/// Generates `Documentation/Checks.md` from the catalog, so the user documentation of
/// every check is its own metadata and cannot drift (a test compares the file).
public enum ChecksDocument {
    public static let regenerateCommand = "SOP_REGENERATE=1 swift test --filter ChecksDocumentation"

    public static func markdown(_ checks: [Check] = CheckCatalog.all) -> String {
        var out: [String] = []
        out.append("# AWS checks")
        out.append("")
        out.append(
            "<!-- Generated from Sources/SOPChecks/Checks by ChecksDocument; do not edit. "
                + "Regenerate with: \(regenerateCommand) -->")
        out.append("")
        out.append(
            "`sop verify` runs these read-only checks against a customer's AWS account. Each check is one file "
                + "under `Sources/SOPChecks/Checks/<Service>/`; templates name the checks an item needs in its `checks:` list."
        )
        out.append("")
        out.append(
            "Outcomes: `pass`; `fail` (with the offending resources); `error` (could not be verified: access denied, "
                + "throttled past retries, an operation the endpoint does not implement, missing data — never counted as a pass); "
                + "`not-applicable`. Account-wide checks report region `global`; regional checks report once per verified region."
        )
        out.append("")
        out.append("| Check | Title | Scope | Items | Controls |")
        out.append("|---|---|---|---|---|")
        for check in checks {
            out.append(
                "| [`\(check.id)`](#\(check.id)) | \(check.title) | \(check.scope.rawValue) | "
                    + check.items.map { "`\($0)`" }.joined(separator: ", ") + " | "
                    + (check.controls.isEmpty ? "–" : check.controls.joined(separator: ", ")) + " |")
        }
        out.append("")
        for check in checks {
            out.append("## \(check.id)")
            out.append("")
            out.append(
                "**\(check.title)** — scope: \(check.scope.rawValue); verifies "
                    + check.items.map { "`\($0)`" }.joined(separator: ", ") + ".")
            out.append("")
            out.append("Passes when: \(check.criterion)")
            out.append("")
            if !check.controls.isEmpty {
                out.append("Controls: \(check.controls.joined(separator: ", ")).")
                out.append("")
            }
            out.append("API calls (IAM action):")
            out.append("")
            for call in check.calls {
                let actions = call.iamActions.filter { $0 != call.description }
                out.append(
                    "- `\(call.description)`"
                        + (actions.isEmpty ? "" : " (" + actions.map { "`\($0)`" }.joined(separator: ", ") + ")"))
            }
            out.append("")
            if !check.parameters.isEmpty {
                out.append("Parameters:")
                out.append("")
                for parameter in check.parameters {
                    out.append("- `\(parameter.name)` (default `\(parameter.defaultValue)`): \(parameter.description)")
                }
                out.append("")
            }
            if let notes = check.notes {
                out.append("Notes: \(notes)")
                out.append("")
            }
            out.append("Examples:")
            out.append("")
            for example in check.examples {
                out.append("- \(example.name) → `\(example.expected.rawValue)`")
            }
            out.append("")
        }
        out.append("## IAM policy for the audit role")
        out.append("")
        out.append(
            "`sop iam-policy SLUG` prints the policy for the checks of that customer's template. For every check:")
        out.append("")
        out.append("```json")
        out.append(CheckCatalog.iamPolicyJSON(for: checks).trimmingTrailingNewlines())
        out.append("```")
        out.append("")
        return out.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

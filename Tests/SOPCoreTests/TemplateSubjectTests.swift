import CloudRegions
import Foundation
import TestSupport
import Testing

@testable import SOPCore

/// The front matter decides what a template is about and whose regions it takes; templates that
/// do not say keep what they meant before these keys existed.
@Suite struct TemplateSubjectTests {
    func parse(_ frontMatter: String, item: String = "") throws -> Template {
        try TemplateParser().parse(data: Data(text(frontMatter, item: item).utf8), path: "demo/1.0.0.md")
    }

    /// A one-item template with `frontMatter` added to its front matter and `item` to the item's
    /// metadata (after `evidence`).
    func text(_ frontMatter: String, evidence: String = "note", item: String = "") -> String {
        """
        ---
        id: demo
        version: 1.0.0
        title: Demo SOP
        roles: [Owner]
        \(frontMatter)
        ---

        # Demo SOP

        ## 1. Work

        - [ ] **Do it:** The work.
          <!-- sop
          id: work.do
          evidence: [\(evidence)]
        \(item)  -->
        """
    }

    @Test func aTemplateWithoutTheKeysAndWithoutChecksNamesNoSubject() throws {
        let template = try parse("")
        #expect(template.provider == nil)
        #expect(template.subject == nil)
        #expect(!template.requiresEmail)
        #expect(!template.hasChecks)
    }

    @Test func conditionsOnRegionsMeantAWS() throws {
        let template = try parse("", item: "  when: regions has eu-west-1\n")
        #expect(template.provider == .aws)
        #expect(template.subject == "AWS account")
        #expect(template.requiresEmail)
    }

    @Test func theFrontMatterSaysItsWords() throws {
        let template = try parse(
            "subject: person\nsubjects: people\nprovider: gcp\nemail: required",
            item: "  when: regions has europe-west1\n")
        #expect(template.provider == .gcp)
        #expect(template.subject == "person")
        #expect(template.subjects == "people")
        #expect(template.requiresEmail)
        #expect(
            try Condition.parse("regions has europe-west1").evaluate(CustomerAttributes(regions: ["europe-west1"])))
    }

    @Test func checksNeedAWS() throws {
        let text = text("provider: azure", evidence: "check", item: "  checks: [iam_root_mfa_enabled]\n")
        let (_, diagnostics) = TemplateParser().check(data: Data(text.utf8), path: "demo/1.0.0.md")
        #expect(
            diagnostics.map(\.message) == [
                "item 'work.do' names checks, which run against AWS, but the template's provider is azure"
            ])
    }

    @Test(arguments: [
        (CloudProvider.aws, "eu-west-1", true), (.aws, "us-gov-west-1", true), (.aws, "europe-west1", false),
        (.gcp, "europe-west1", true), (.gcp, "northamerica-northeast2", true), (.gcp, "us-central", false),
        (.gcp, "eu-west-1", false), (.gcp, "Europe-west1", false), (.azure, "westeurope", true),
        (.azure, "eastus2", true), (.azure, "west-europe", false), (.azure, "2east", false), (.azure, "", false),
    ])
    func regionNames(provider: CloudProvider, name: String, valid: Bool) {
        #expect(provider.isRegion(name) == valid)
    }
}

/// The front matter alone gives the same parameters and words as the whole parse.
@Suite struct TemplateHeaderTests {
    @Test func theHeaderOfTheShippedTemplatesMatchesTheirParse() throws {
        for version in ["1.0.0", "1.1.0"] {
            let url = Paths.templatesDirectory.appendingPathComponent("aws-account/\(version).md")
            let data = try Data(contentsOf: url)
            let header = try #require(TemplateHeader(data: data))
            let template = try TemplateParser().parse(data: data, path: url.path)
            #expect(header.parameters == template.parameters)
            #expect(header.subject == template.subjectWords)
            #expect(header.parameterValues == template.parameterValues())
        }
    }

    @Test func aBrokenFrontMatterHasNoHeader() {
        #expect(TemplateHeader(data: Data("---\nid: [x\n---\n# T\n".utf8)) == nil)
        #expect(TemplateHeader(data: Data("# no front matter\n".utf8)) == nil)
        #expect(TemplateHeader(data: Data([0xff, 0xfe, 0x00])) == nil)
    }
}

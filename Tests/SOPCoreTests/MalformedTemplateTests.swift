import Foundation
import Testing

@testable import SOPCore

/// A valid small template; each malformed case edits it and names the line its error must be on.
let baseTemplate = """
    ---
    id: demo
    version: 1.0.0
    title: Demo SOP
    roles: [Project Manager, Security Lead]
    parameters:
      min_length:
        default: 14
        description: Minimum length.
    ---

    # Demo SOP

    ## 1. Preparation

    ### 1.1. Gather

    - [ ] **Email:** Obtain the root email.
      <!-- sop
      id: prep.email
      evidence: [note]
      owner: Project Manager
      -->
    - [ ] **Policy:** Passwords of at least ${min_length} characters.
      <!-- sop
      id: prep.policy
      evidence: [note, file]
      signoff: [Security Lead]
      depends: [prep.email]
      -->
    """

struct MalformedCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var line: Int
    var fragment: String
    var testDescription: String { name }

    init(_ name: String, replacing old: String, with new: String, line: Int, _ fragment: String) {
        precondition(baseTemplate.contains(old), "case \(name): base does not contain \(old)")
        self.name = name
        self.text = baseTemplate.replacingOccurrences(of: old, with: new)
        self.line = line
        self.fragment = fragment
    }

    /// A case that edits the base twice (the second edit a function of the first's text).
    init(
        _ name: String, replacing old: String, with new: String, line: Int, _ fragment: String,
        then: (String) -> String
    ) {
        self.init(name, replacing: old, with: new, line: line, fragment)
        text = then(text)
    }

    init(_ name: String, text: String, line: Int, _ fragment: String) {
        self.name = name
        self.text = text
        self.line = line
        self.fragment = fragment
    }
}

let malformedCases: [MalformedCase] = [
    .init("empty file", text: "", line: 1, "file is empty"),
    .init("whitespace only", text: "  \n\n\t\n", line: 1, "file is empty"),
    .init("no front matter", text: "# Title\n\n## 1. A\n\n- [ ] x\n", line: 1, "missing front matter"),
    .init(
        "unclosed front matter", replacing: "---\n\n# Demo SOP", with: "\n# Demo SOP", line: 1, "missing front matter"),
    .init("front matter not a mapping", text: "---\n- a\n- b\n---\n## 1. A\n", line: 2, "must be a YAML mapping"),
    .init("invalid YAML", replacing: "title: Demo SOP", with: "title: [Demo SOP", line: 5, "invalid YAML"),
    .init("bad semver", replacing: "version: 1.0.0", with: "version: 1.0", line: 3, "semantic"),
    .init("semver leading zero", replacing: "version: 1.0.0", with: "version: 01.0.0", line: 3, "semantic"),
    .init("missing id", replacing: "id: demo\n", with: "", line: 1, "missing 'id'"),
    .init("bad template id", replacing: "id: demo", with: "id: Demo SOP", line: 2, "template id"),
    .init(
        "unknown front-matter key", replacing: "title: Demo SOP", with: "title: Demo SOP\nauthor: me", line: 5,
        "unknown front-matter key 'author'"),
    .init(
        "roles not a list", replacing: "roles: [Project Manager, Security Lead]", with: "roles: {a: b}", line: 5,
        "roles must be a list"),
    .init(
        "unknown provider", replacing: "title: Demo SOP", with: "title: Demo SOP\nprovider: openstack", line: 5,
        "provider must be one of aws, azure, gcp, none"),
    .init(
        "email neither required nor optional", replacing: "title: Demo SOP", with: "title: Demo SOP\nemail: maybe",
        line: 5, "email must be 'required' or 'optional'"),
    .init(
        "subject not one line", replacing: "title: Demo SOP", with: "title: Demo SOP\nsubject: [a, b]", line: 5,
        "subject must be a short name on one line"),
    .init(
        "region of another cloud", replacing: "  owner: Project Manager",
        with: "  owner: Project Manager\n  when: regions has europe-west1", line: 23,
        "condition names region 'europe-west1', which is not an AWS region name"),
    .init(
        "regions without a provider", replacing: "title: Demo SOP",
        with: "title: Demo SOP\nprovider: none", line: 24,
        "condition reads regions, but the template's provider is none"
    ) {
        $0.replacingOccurrences(
            of: "  owner: Project Manager", with: "  owner: Project Manager\n  when: regions has eu-west-1")
    },
    .init("parameter without default", replacing: "    default: 14\n", with: "", line: 7, "needs a default"),
    .init(
        "unknown parameter key", replacing: "    description: Minimum length.",
        with: "    description: Minimum length.\n    unit: chars", line: 10, "unknown key 'unit'"),
    .init(
        "undefined parameter reference", replacing: "${min_length}", with: "${max_length}", line: 24,
        "'${max_length}' is referenced but not defined"),
    .init(
        "section without number", replacing: "### 1.1. Gather", with: "### Gather", line: 16,
        "must start with its number"),
    .init("duplicate section number", replacing: "### 1.1. Gather", with: "### 1. Gather", line: 16, "used twice"),
    .init(
        "empty section", replacing: "## 1. Preparation", with: "## 0. Nothing\n\n## 1. Preparation", line: 14,
        "section 0 is empty"),
    .init(
        "item before any section", replacing: "## 1. Preparation",
        with: "- [ ] **Early:** x\n  <!-- sop\n  id: early\n  -->\n\n## 1. Preparation", line: 14,
        "comes before any numbered section"),
    .init(
        "item without metadata",
        replacing:
            "- [ ] **Email:** Obtain the root email.\n  <!-- sop\n  id: prep.email\n  evidence: [note]\n  owner: Project Manager\n  -->\n",
        with: "- [ ] **Email:** Obtain the root email.\n\n", line: 18, "has no '<!-- sop id"),
    .init("metadata without id", replacing: "  id: prep.email\n", with: "", line: 19, "has no 'id'"),
    .init("bad item id", replacing: "id: prep.email", with: "id: Prep Email", line: 20, "item id 'Prep Email'"),
    .init(
        "duplicate item id", replacing: "id: prep.policy", with: "id: prep.email", line: 26,
        "duplicate item id 'prep.email'"),
    .init(
        "unknown metadata key", replacing: "  owner: Project Manager", with: "  owner: Project Manager\n  colour: red",
        line: 23, "unknown item metadata key 'colour'"),
    .init(
        "unknown evidence kind", replacing: "evidence: [note]", with: "evidence: [photo]", line: 21,
        "unknown evidence kind 'photo'"),
    .init(
        "unknown signoff role", replacing: "signoff: [Security Lead]", with: "signoff: [Janitor]", line: 28,
        "unknown role 'Janitor'"),
    .init(
        "unknown owner role", replacing: "owner: Project Manager", with: "owner: Nobody", line: 22,
        "unknown owner role 'Nobody'"),
    .init(
        "dangling depends", replacing: "depends: [prep.email]", with: "depends: [prep.ghost]", line: 29,
        "unknown item 'prep.ghost'"),
    .init(
        "self depends", replacing: "depends: [prep.email]", with: "depends: [prep.policy]", line: 29,
        "depends on itself"),
    .init(
        "cyclic depends", replacing: "  owner: Project Manager\n",
        with: "  owner: Project Manager\n  depends: [prep.policy]\n", line: 30, "dependency cycle"),
    .init(
        "bad condition", replacing: "  owner: Project Manager\n",
        with: "  owner: Project Manager\n  when: compliance hipaa\n", line: 23, "bad condition"),
    .init(
        "unknown condition attribute", replacing: "  owner: Project Manager\n",
        with: "  owner: Project Manager\n  when: industry has banking\n", line: 23, "unknown attribute 'industry'"),
    .init(
        "condition on undefined parameter", replacing: "  owner: Project Manager\n",
        with: "  owner: Project Manager\n  when: param.tier is gold\n", line: 23, "parameter 'tier'"),
    .init("invalid metadata YAML", replacing: "evidence: [note]", with: "evidence: [note", line: 22, "invalid YAML"),
    .init(
        "unclosed metadata comment", replacing: "  owner: Project Manager\n  -->\n- [ ] **Policy:**",
        with: "  owner: Project Manager\n- [ ] **Policy:**", line: 19, "not closed"),
    .init(
        "check id syntax", replacing: "evidence: [note]", with: "evidence: [check]\n  checks: [NoSuchCheck]", line: 22,
        "must look like service_resource_state"),
    .init(
        "check evidence without checks", replacing: "evidence: [note]", with: "evidence: [check]", line: 21,
        "names no checks"),
    .init(
        "nested checklist", replacing: "Obtain the root email.\n",
        with: "Obtain the root email.\n  - [ ] nested task\n", line: 19, "nested checklist items"),
    .init(
        "two metadata comments", replacing: "  owner: Project Manager\n  -->\n",
        with: "  owner: Project Manager\n  -->\n  <!-- sop\n  id: again\n  -->\n", line: 18, "2 metadata comments"),
    .init(
        "section metadata unknown key", replacing: "### 1.1. Gather\n",
        with: "### 1.1. Gather\n<!-- sop\ncolour: red\n-->\n", line: 18, "unknown section metadata key 'colour'"),
    .init(
        "section signoff unknown role", replacing: "### 1.1. Gather\n",
        with: "### 1.1. Gather\n<!-- sop\nsignoff: [Janitor]\n-->\n", line: 18, "unknown role 'Janitor' in section 1.1"),
    .init(
        "stray metadata comment", replacing: "# Demo SOP\n", with: "# Demo SOP\n\ntext\n\n<!-- sop\nid: x\n-->\n",
        line: 16, "must directly follow a section heading"),
    .init("NUL byte", replacing: "Obtain the root email.", with: "Obtain the\u{0} root email.", line: 18, "NUL byte"),
]

@Suite struct MalformedTemplateTests {
    @Test("each malformed template reports its error on the right line", arguments: malformedCases)
    func reportsLine(_ testCase: MalformedCase) throws {
        let (_, diagnostics) = TemplateParser().check(data: Data(testCase.text.utf8), path: "t.md")
        #expect(!diagnostics.isEmpty, "no error for \(testCase.name)")
        let match = diagnostics.first { $0.position.line == testCase.line && $0.message.contains(testCase.fragment) }
        #expect(
            match != nil,
            "\(testCase.name): expected line \(testCase.line) '\(testCase.fragment)', got \(diagnostics.map(\.description))"
        )
        for diagnostic in diagnostics {
            #expect(!diagnostic.description.contains("\n"))
            #expect(
                diagnostic.description.hasPrefix(
                    "t.md:\(diagnostic.position.line):\(diagnostic.position.column): error: "))
        }
    }

    @Test func corpusIsLargeEnough() {
        #expect(malformedCases.count >= 25)
    }

    @Test func baseTemplateIsValid() throws {
        let template = try TemplateParser().parse(data: Data(baseTemplate.utf8), path: "base.md")
        #expect(template.items.map(\.id) == ["prep.email", "prep.policy"])
        #expect(template.items[1].depends == ["prep.email"])
        #expect(template.items[1].section == "1.1")
    }

    @Test func invalidUTF8IsReportedWithPosition() {
        var data = Data("---\nid: x\n".utf8)
        data.append(contentsOf: [0xC3, 0x28])
        let (_, diagnostics) = TemplateParser().check(data: data, path: "bad.md")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.position.line == 3)
        #expect(diagnostics.first?.message.contains("not valid UTF-8") == true)
    }

    @Test func hostileInputsNeverTrap() throws {
        var inputs: [Data] = []
        inputs.append(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        inputs.append(Data(String(repeating: "- ", count: 20_000).utf8))
        inputs.append(Data((0..<3000).map { String(repeating: "  ", count: $0) + "- [ ] x\n" }.joined().utf8))
        inputs.append(Data(String(repeating: ">", count: 50_000).utf8))
        inputs.append(Data(("---\nid: demo\n---\n" + String(repeating: "[", count: 100_000)).utf8))
        inputs.append(Data(("---\n" + String(repeating: "a: [", count: 5_000) + "\n---\n").utf8))
        let big = baseTemplate + String(repeating: "\nSome filler text for a large file.", count: 150_000)
        inputs.append(Data(big.utf8))  // about 5 MB
        for data in inputs {
            _ = TemplateParser().check(data: data, path: "hostile.md")
        }
    }
}

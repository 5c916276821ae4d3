import Testing

@testable import SOPJSON

@Suite struct SnakeCaseTests {
    @Test func propertyNamesOfTheStore() {
        let cases = [
            "checkId": "check_id", "itemIds": "item_ids", "templateSha256": "template_sha256",
            "fromSha256": "from_sha256",
            "notApplicable": "not_applicable", "staleSectionSignoffs": "stale_section_signoffs",
            "callsMade": "calls_made",
            "inheritsFrom": "inherits_from", "evidenceCarried": "evidence_carried", "slug": "slug", "": "",
        ]
        for (name, expected) in cases { #expect(SnakeCase.convert(name) == expected, "\(name)") }
    }

    @Test func capitalRunsAndTheFirstCharacter() {
        let cases = [
            "myURLProperty": "my_url_property", "URLValue": "u_rl_value", "itemIDs": "item_i_ds", "ABC": "a_bc",
            "aB": "a_b", "A": "a", "Abc": "abc", "x_y": "x_y", "_lead": "_lead", "a1B": "a1_b", "aBC": "a_bc",
            "aÉb": "a_éb", "ÀbcD": "àbc_d",
        ]
        for (name, expected) in cases { #expect(SnakeCase.convert(name) == expected, "\(name)") }
    }
}

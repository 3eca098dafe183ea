import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataDisclosure

/// Issue 21 §3 "Rules file": every key of a rules file is checked against
/// `Codebooks/disclosure/rules.schema.json`; out-of-range values and unknown keys are errors, not
/// outputs stamped as controlled.
@Suite struct RulesSchemaTests {
    static let defaults = Fixtures.codebook("disclosure/default-rules.json")

    /// Loads the defaults overridden by `json`; returns the error text, or `nil` when it loads.
    static func loadError(_ json: String, disclosureControl: Bool = true) throws -> String? {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("rules.json")
        try Data(json.utf8).write(to: url)
        do {
            _ = try DisclosureRules.load(defaults: defaults, overrides: url, disclosureControl: disclosureControl)
            return nil
        } catch let error as DisclosureError {
            return error.description
        }
    }

    @Test(arguments: [
        (#"{"threshold": -5}"#, "$.threshold: expected a number >= 2, found -5"),
        (#"{"threshold": 0}"#, "$.threshold: expected a number >= 2, found 0"),
        (#"{"threshold": 1}"#, "$.threshold: expected a number >= 2, found 1"),
        (#"{"threshold": 2.5}"#, "$.threshold: expected integer, found 2.5"),
        (#"{"pPercent": 150}"#, "$.pPercent: expected a number <= 100, found 150"),
        (#"{"pPercent": -1}"#, "$.pPercent: expected a number >= 0, found -1"),
        (#"{"nkN": 0}"#, "$.nkN: expected a number >= 1, found 0"),
        (#"{"nkK": 0}"#, "$.nkK: expected a number > 0, found 0"),
        (#"{"nkK": 100.5}"#, "$.nkK: expected a number <= 100, found 100.5"),
        (#"{"frequencyProtectionPercent": 101}"#, "$.frequencyProtectionPercent: expected a number <= 100, found 101"),
        (#"{"cvBands": [5, 10]}"#, "$.cvBands: expected at least 3 items, found an array of 2"),
        (#"{"cvBands": [5, -10, 20]}"#, "$.cvBands[1]: expected a number > 0, found -10"),
        (#"{"cvBands": [5, 20, 10]}"#, "$.cvBands: expected increasing band limits"),
        (#"{"cost": "cheap"}"#, #"$.cost: expected one of "unity", "count", "value", "logValue", found "cheap""#),
        (#"{"singletonAttack": 1}"#, "$.singletonAttack: expected boolean, found 1"),
        (#"{"qualityLegend": {"!": 3}}"#, "$.qualityLegend.!: expected string, found 3"),
        (#"{"nomisDisclosiveMax": 9, "nomisUnreliableMax": 2}"#, "$.nomisUnreliableMax: expected a number >= nomisDisclosiveMax (9)"),
        (#"{"threshhold": 10}"#, "unknown rule 'threshhold' at $.threshhold; the closest known key is 'threshold'"),
        (#"{"PPercent": 10}"#, "unknown rule 'PPercent' at $.PPercent; the closest known key is 'pPercent'"),
        (#"{"redactAtOrBelow": -1}"#, "$.redactAtOrBelow: expected a number >= 0, found -1"),
    ])
    func outOfRangeOrUnknownRuleIsRejectedWithItsPath(json: String, message: String) throws {
        let error = try #require(try Self.loadError(json), "\(json) was accepted")
        #expect(error.contains(message), "\(error)")
        #expect(error.contains("rules.json"), "\(error)")
    }

    @Test func validRulesStillLoad() throws {
        #expect(try Self.loadError(#"{"threshold": 2, "pPercent": 100, "nkK": 100, "redactAtOrBelow": null, "_note": "x"}"#) == nil)
        #expect(try Self.loadError(#"{"threshold": 5, "nkStrict": false, "cvBands": [4, 8, 15]}"#) == nil)
    }

    @Test func lowThresholdIsAllowedOnlyWithoutDisclosureControl() throws {
        #expect(try Self.loadError(#"{"threshold": 1}"#, disclosureControl: false) == nil)
        #expect(try Self.loadError(#"{"threshold": -1}"#, disclosureControl: false) != nil)
        #expect(try Self.loadError(#"{"pPercent": 150}"#, disclosureControl: false) != nil)
    }

    @Test func shippedDefaultsValidateAgainstTheShippedSchema() throws {
        let schema = try RulesSchema(contentsOf: Fixtures.codebook("disclosure/rules.schema.json"))
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: Self.defaults))
        #expect(schema.violations(of: value, partial: false, disclosureControl: true).isEmpty)
        // A defaults file missing a key is rejected (a user file may leave keys out).
        var object = try #require(value.object)
        object["nkK"] = nil
        #expect(schema.violations(of: .object(object), partial: false, disclosureControl: true).map(\.path) == ["$.nkK"])
        #expect(schema.violations(of: .object(object), partial: true, disclosureControl: true).isEmpty)
    }

    /// The schema names exactly the keys `DisclosureRules` has, and requires them all: a rule added to
    /// the struct without the schema (or the other way round) fails here.
    @Test func schemaKeysMatchTheRulesType() throws {
        let schema = try RulesSchema(contentsOf: Fixtures.codebook("disclosure/rules.schema.json"))
        let encoded = try JSONDecoder().decode(
            JSONValue.self, from: JSONEncoder().encode(try TestTables.rules { $0.redactAtOrBelow = 7 }))
        let keys = try #require(encoded.object).keys.sorted()
        #expect(schema.knownKeys == keys)
        let required = schema.root.object?["required"]?.array?.compactMap(\.string).sorted()
        #expect(required == keys)
    }

    @Test func rulesInForceNameTheValuesUsed() throws {
        let rules = try TestTables.rules { $0.threshold = 7; $0.pPercent = 15 }
        #expect(rules.inForce.hasPrefix("threshold 7; NK(2, 90%) strict; p% 15; frequency protection max(1, 0% of the count)"))
    }

    @Test func closestKeyIsByEditDistance() {
        #expect(RulesSchema.editDistance("threshhold", "threshold") == 1)
        #expect(RulesSchema.closest(to: "nkk", among: ["nkK", "nkN", "threshold"]) == "nkK")
    }

    @Test func patternPropertiesMatchAnchoredPrefixesWithoutARegexAndOtherPatternsAsRegexes() {
        #expect(RulesSchema.matches("_source", pattern: "^_"))
        #expect(!RulesSchema.matches("source_", pattern: "^_"))
        #expect(!RulesSchema.matches("x", pattern: "^_"))
        #expect(RulesSchema.matches("axb", pattern: "^a.b"))  // `.` is any character
        #expect(!RulesSchema.matches("a.c", pattern: "^a.b"))
        #expect(RulesSchema.matches("rule_x", pattern: "_x$"))
        #expect(!RulesSchema.matches("rule_xy", pattern: "_x$"))
    }
}


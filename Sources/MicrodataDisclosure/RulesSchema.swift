import Foundation
import MicrodataCodebook

/// A value of a rules file that breaks its schema (`Codebooks/disclosure/rules.schema.json`).
public struct RulesSchemaViolation: Error, Equatable, CustomStringConvertible {
    /// JSON path of the offending key or element, such as `$.threshold` or `$.cvBands[1]`.
    public var path: String
    public var expected: String
    public var found: String
    /// For an unknown key, the closest known one.
    public var suggestion: String?

    public var description: String {
        if let suggestion { return "\(found) at \(path); the closest known key is '\(suggestion)'" }
        return "\(path): expected \(expected), found \(found)"
    }
}

/// The subset of JSON Schema (draft 2020-12) used by the rules schema: `type`, `enum`, `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `minItems`, `maxItems`, `items`,
/// `properties`, `patternProperties`, `additionalProperties` and `required`, plus
/// `x-minimumWithoutDisclosureControl` (the minimum used when disclosure control is off).
struct RulesSchema {
    let root: JSONValue

    init(contentsOf url: URL) throws {
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        } catch {
            throw DisclosureError.rules(file: url.path, reason: "unreadable rules schema: \(error)")
        }
    }

    /// The schema shipped beside the default rules, else the one in the Codebooks folder.
    static func locate(besides defaults: URL) throws -> RulesSchema {
        let beside = defaults.deletingLastPathComponent().appendingPathComponent("rules.schema.json")
        if FileManager.default.fileExists(atPath: beside.path) { return try RulesSchema(contentsOf: beside) }
        do {
            return try RulesSchema(contentsOf: CodebooksFolder.file("disclosure/rules.schema.json"))
        } catch let error as CodebooksFolderError {
            throw DisclosureError.rules(file: "Codebooks/disclosure/rules.schema.json", reason: "\(error)")
        }
    }

    /// The top-level keys the schema declares.
    var knownKeys: [String] { root.object?["properties"]?.object?.keys.sorted() ?? [] }

    /// Every violation of `value`, in path order; `partial` skips `required` (a user file overrides some keys).
    func violations(of value: JSONValue, partial: Bool, disclosureControl: Bool) -> [RulesSchemaViolation] {
        var out: [RulesSchemaViolation] = []
        check(value, against: root, path: "$", partial: partial, control: disclosureControl, into: &out)
        return out
    }

    private func check(
        _ value: JSONValue, against schema: JSONValue, path: String, partial: Bool, control: Bool,
        into out: inout [RulesSchemaViolation]
    ) {
        guard let s = schema.object else { return }
        func fail(_ expected: String) { out.append(.init(path: path, expected: expected, found: value.summary)) }
        if let types = s["type"].map({ $0.array ?? [$0] })?.compactMap(\.string), !types.contains(where: value.isOfType) {
            return fail(types.joined(separator: " or "))
        }
        if let options = s["enum"]?.array, !options.contains(value) {
            return fail("one of " + options.map(\.summary).joined(separator: ", "))
        }
        if let x = value.number {
            let minimum = (control ? nil : s["x-minimumWithoutDisclosureControl"]?.number) ?? s["minimum"]?.number
            if let m = minimum, x < m { fail("a number >= \(JSONValue.number(m).summary)") }
            if let m = s["exclusiveMinimum"]?.number, x <= m { fail("a number > \(JSONValue.number(m).summary)") }
            if let m = s["maximum"]?.number, x > m { fail("a number <= \(JSONValue.number(m).summary)") }
            if let m = s["exclusiveMaximum"]?.number, x >= m { fail("a number < \(JSONValue.number(m).summary)") }
        }
        if let text = value.string, let m = s["minLength"]?.number, Double(text.count) < m {
            fail("a string of at least \(Int(m)) characters")
        }
        if let items = value.array {
            if let m = s["minItems"]?.number, Double(items.count) < m { fail("at least \(Int(m)) items") }
            if let m = s["maxItems"]?.number, Double(items.count) > m { fail("at most \(Int(m)) items") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() {
                    check(item, against: itemSchema, path: "\(path)[\(i)]", partial: partial, control: control, into: &out)
                }
            }
        }
        guard let members = value.object else { return }
        let properties = s["properties"]?.object ?? [:]
        if !partial {
            for key in s["required"]?.array?.compactMap(\.string) ?? [] where members[key] == nil {
                out.append(.init(path: "\(path).\(key)", expected: "a value (required key)", found: "nothing"))
            }
        }
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            let memberPath = "\(path).\(key)"
            if let sub = properties[key] {
                check(member, against: sub, path: memberPath, partial: partial, control: control, into: &out)
            } else if let (_, sub) = s["patternProperties"]?.object?.first(where: { Self.matches(key, pattern: $0.key) }) {
                check(member, against: sub, path: memberPath, partial: partial, control: control, into: &out)
            } else if let extra = s["additionalProperties"] {
                if extra == .bool(false) {
                    out.append(.init(
                        path: memberPath, expected: "a known rule", found: "unknown rule '\(key)'",
                        suggestion: Self.closest(to: key, among: properties.keys.sorted())))
                } else {
                    check(member, against: extra, path: memberPath, partial: partial, control: control, into: &out)
                }
            }
        }
    }

    /// Whether `key` matches the `patternProperties` pattern: an anchored literal prefix (`^_`) directly,
    /// anything else as a regular expression (which loads ICU: a few milliseconds at every start).
    static func matches(_ key: String, pattern: String) -> Bool {
        let literal = pattern.dropFirst()
        if pattern.hasPrefix("^"), !literal.contains(where: { "\\^$.|?*+()[]{}".contains($0) }) {
            return key.hasPrefix(literal)
        }
        return key.range(of: pattern, options: .regularExpression) != nil
    }

    /// The candidate with the smallest case-insensitive edit distance to `key`.
    static func closest(to key: String, among candidates: [String]) -> String? {
        candidates.min { editDistance(key.lowercased(), $0.lowercased()) < editDistance(key.lowercased(), $1.lowercased()) }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

/// A parsed JSON value (booleans kept apart from numbers, which `JSONSerialization` does not do on Linux).
enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(x): if x == x.rounded(), abs(x) < 9e15 { try c.encode(Int64(x)) } else { try c.encode(x) }
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    var object: [String: JSONValue]? { if case let .object(o) = self { o } else { nil } }
    var array: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
    var string: String? { if case let .string(s) = self { s } else { nil } }
    var number: Double? { if case let .number(x) = self { x } else { nil } }

    func isOfType(_ name: String) -> Bool {
        switch (name, self) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            true
        case let ("integer", .number(x)): x == x.rounded() && x.isFinite
        default: false
        }
    }

    /// A short rendering for messages.
    var summary: String {
        switch self {
        case .null: "null"
        case let .bool(b): "\(b)"
        case let .number(x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case let .string(s): "\"\(s)\""
        case let .array(a): "an array of \(a.count)"
        case .object: "an object"
        }
    }
}

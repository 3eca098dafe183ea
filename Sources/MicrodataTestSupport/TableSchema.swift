import Foundation

/// Checks a JSON publication against `docs/table.schema.json`: required keys, key types and the typed row columns.
public enum TableSchema {
    /// `docs/table.schema.json`.
    public static let url = Fixtures.packageRoot.appendingPathComponent("docs/table.schema.json")

    struct NotAnObject: Error { var what: String }

    /// The problems of `text` against the schema (empty when it conforms).
    public static func violations(_ text: String) throws -> [String] {
        guard let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any],
            let properties = schema["properties"] as? [String: [String: Any]]
        else { throw NotAnObject(what: url.path) }
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw NotAnObject(what: "the document")
        }
        var problems: [String] = []
        func types(_ spec: [String: Any]?) -> [String] {
            (spec?["type"] as? [String]) ?? [(spec?["type"] as? String) ?? ""]
        }
        func matches(_ value: Any, _ spec: [String: Any]?) -> Bool {
            let allowed = types(spec)
            if let options = spec?["enum"] as? [String], let s = value as? String, !options.contains(s) { return false }
            if value is NSNull { return allowed.contains("null") }
            if value is String { return allowed.contains("string") }
            if value is NSNumber && allowed.contains("number") { return true }
            if value is Bool { return allowed.contains("boolean") }
            if value is [Any] { return allowed.contains("array") }
            if value is [String: Any] { return allowed.contains("object") }
            return false
        }
        for key in (schema["required"] as? [String]) ?? [] where object[key] == nil { problems.append("missing \(key)") }
        for (key, value) in object {
            guard let spec = properties[key] else { problems.append("unknown key \(key)"); continue }
            if let constant = spec["const"] as? String, value as? String != constant { problems.append("\(key) ≠ \(constant)") }
            if spec["const"] == nil, !matches(value, spec) { problems.append("\(key): \(type(of: value))") }
        }
        let items = (properties["rows"]?["items"] as? [String: Any]) ?? [:]
        let columns = (items["properties"] as? [String: [String: Any]]) ?? [:]
        let other = items["additionalProperties"] as? [String: Any]
        let declared = Set((object["columns"] as? [String]) ?? [])
        for (i, row) in ((object["rows"] as? [[String: Any]]) ?? []).enumerated() {
            if Set(row.keys) != declared { problems.append("row \(i + 1): keys are not the columns") }
            for (column, value) in row where !matches(value, columns[column] ?? other) {
                problems.append("row \(i + 1) \(column): \(value)")
            }
        }
        return problems
    }
}

import Foundation
import MicrodataCodebook
import MicrodataReaders

/// How the employment status behind an NS-SEC derivation is coded in the data: one variable (the ONS full or
/// reduced statuses, Microdata's 1–9 input coding, a user file) or several (LFS `INECAC05` with managerial
/// status, workplace size and whether the self-employed have employees), turned into the ONS full and reduced
/// statuses by rules. Loaded from `nssec_status_codings.csv` and `nssec_status_rules.csv`.
public struct NSSECStatusCoding: Sendable {
    /// One code of one role's variable.
    public struct Code: Sendable, Hashable {
        public var code: String
        /// The meaning used by the rules (`employee`, `manager`, `large`, …); the code itself for one-variable codings.
        public var key: String
        /// The label the coding expects, as published.
        public var label: String
        /// Words a codebook label must contain (`!word`: must not), alternatives separated by `|`.
        public var match: String
    }

    /// A combination of role keys (`*` any, including unknown) and the statuses it gives.
    public struct Rule: Sendable, Hashable {
        public var keys: [String]
        /// ONS full status 1–7, or `nil` (size not known: the reduced status is used).
        public var full: Int?
        /// ONS reduced status 1–5.
        public var reduced: Int?
    }

    public let name: String
    public let source: String
    /// Roles in order; the first is the variable named before `@` on the command line.
    public let roles: [String]
    /// Role → variable name used when the command line does not name one.
    public let defaultVariables: [String: String]
    /// Per role, its codes in file order.
    public let codes: [[Code]]
    public let rules: [Rule]

    /// The status of one combination of role keys (`nil` = unknown), by the first matching rule.
    public func status(keys: [String?]) -> (full: Int?, reduced: Int?)? {
        for rule in rules where zip(rule.keys, keys).allSatisfy({ $0 == "*" || $0 == $1 }) {
            return (rule.full, rule.reduced)
        }
        return nil
    }

    /// Whether `label` (from a codebook) fits `pattern`: some `|`-alternative whose words all occur in the
    /// label and whose `!words` do not. Words are compared lower-cased, split at non-alphanumerics, with a
    /// plural `s` dropped.
    public static func label(_ label: String, matches pattern: String) -> Bool {
        let found = Set(words(label))
        return pattern.split(separator: "|").contains { alternative in
            words(String(alternative), keepBang: true).allSatisfy { w in
                w.hasPrefix("!") ? !found.contains(String(w.dropFirst())) : found.contains(w)
            }
        }
    }

    private static func words(_ text: String, keepBang: Bool = false) -> [String] {
        var out: [String] = []
        var current = ""
        func flush() {
            var w = current
            let bang = w.hasPrefix("!")
            if bang { w.removeFirst() }
            if w.count > 3, w.hasSuffix("s"), !w.hasSuffix("ss") { w.removeLast() }
            if !w.isEmpty { out.append(bang ? "!" + w : w) }
            current = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || (keepBang && ch == "!" && current.isEmpty) { current.append(ch) } else { flush() }
        }
        flush()
        return out
    }

    init(name: String, source: String, roles: [String], defaultVariables: [String: String], codes: [[Code]], rules: [Rule]) {
        self.name = name
        self.source = source
        self.roles = roles
        self.defaultVariables = defaultVariables
        self.codes = codes
        self.rules = rules
    }

    /// Loads every coding of a codings table and its rules table (rules are needed only by codings with
    /// more than one role; a one-role coding's statuses are in its own rows).
    static func load(codings t: CSVTable, rules r: CSVTable?, source: String) throws -> [String: NSSECStatusCoding] {
        let coding = try t.column("coding"), role = try t.column("role"), variable = try t.column("variable")
        let code = try t.column("code"), key = try t.column("key"), label = try t.column("label"), match = try t.column("match")
        let full = try t.column("full_status"), reduced = try t.column("reduced_status")
        var order: [String] = []
        var byName: [String: (roles: [String], vars: [String: String], codes: [[Code]], rules: [Rule])] = [:]
        for row in t.rows {
            let f = row.fields
            let name = f[coding].uppercased()
            if byName[name] == nil { order.append(name); byName[name] = ([], [:], [], []) }
            var c = byName[name]!
            if !c.roles.contains(f[role]) {
                c.roles.append(f[role])
                c.codes.append([])
                if !f[variable].isEmpty { c.vars[f[role]] = f[variable] }
            }
            let i = c.roles.firstIndex(of: f[role])!
            if c.codes[i].contains(where: { $0.code == f[code] }) {
                throw HarmoniseError("code \(f[code]) of \(name) \(f[role]) is listed twice", file: t.file, line: row.line)
            }
            let entry = Code(code: f[code], key: f[key].isEmpty ? f[code] : f[key], label: f[label], match: f[match])
            if f[match].isEmpty { throw HarmoniseError("code \(f[code]) of \(name) has no match words", file: t.file, line: row.line) }
            c.codes[i].append(entry)
            if !f[full].isEmpty || !f[reduced].isEmpty {
                c.rules.append(try rule(keys: [entry.key], full: f[full], reduced: f[reduced], file: t.file, line: row.line))
            }
            byName[name] = c
        }
        if let r {
            let rc = try r.column("coding"), rf = try r.column("full_status"), rr = try r.column("reduced_status")
            for row in r.rows {
                let name = row.fields[rc].uppercased()
                guard var c = byName[name] else {
                    throw HarmoniseError("rules for coding \(name), which has no codes", file: r.file, line: row.line)
                }
                let keys = try c.roles.map { try row.fields[r.column($0)] }
                for (k, roleName) in zip(keys, c.roles) where k != "*" {
                    guard c.codes[c.roles.firstIndex(of: roleName)!].contains(where: { $0.key == k }) else {
                        throw HarmoniseError("rule key '\(k)' is not a key of \(name) \(roleName)", file: r.file, line: row.line)
                    }
                }
                c.rules.append(try rule(keys: keys, full: row.fields[rf], reduced: row.fields[rr], file: r.file, line: row.line))
                byName[name] = c
            }
        }
        var out: [String: NSSECStatusCoding] = [:]
        for name in order {
            let c = byName[name]!
            if c.rules.isEmpty { throw HarmoniseError("coding \(name) has no statuses or rules", file: t.file) }
            out[name] = NSSECStatusCoding(
                name: name, source: source, roles: c.roles, defaultVariables: c.vars, codes: c.codes, rules: c.rules)
        }
        return out
    }

    /// Loads a user's one-variable coding: a CSV with columns `code`, `full_status`, `reduced_status`, `label`
    /// and optionally `match` (default: the label's words).
    public static func load(file url: URL) throws -> NSSECStatusCoding {
        let t = try CSVTable(url: url)
        let code = try t.column("code"), full = try t.column("full_status"), reduced = try t.column("reduced_status")
        let label = try t.column("label"), match = t.header.firstIndex(of: "match")
        var codes: [Code] = []
        var rules: [Rule] = []
        for row in t.rows {
            let f = row.fields
            if codes.contains(where: { $0.code == f[code] }) {
                throw HarmoniseError("code \(f[code]) is listed twice", file: t.file, line: row.line)
            }
            let m = match.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? f[label]
            codes.append(Code(code: f[code], key: f[code], label: f[label], match: m))
            rules.append(try rule(keys: [f[code]], full: f[full], reduced: f[reduced], file: t.file, line: row.line))
        }
        return NSSECStatusCoding(
            name: url.lastPathComponent, source: "user file \(url.path)", roles: ["status"], defaultVariables: [:],
            codes: [codes], rules: rules)
    }

    private static func rule(keys: [String], full: String, reduced: String, file: String, line: Int) throws -> Rule {
        let f = full.isEmpty ? nil : Int(full), r = reduced.isEmpty ? nil : Int(reduced)
        if !full.isEmpty, f.map({ (1...7).contains($0) }) != true {
            throw HarmoniseError("full_status '\(full)' is not 1-7", file: file, line: line)
        }
        if !reduced.isEmpty, r.map({ (1...5).contains($0) }) != true {
            throw HarmoniseError("reduced_status '\(reduced)' is not 1-5", file: file, line: line)
        }
        if f == nil && r == nil { throw HarmoniseError("a status needs full_status or reduced_status", file: file, line: line) }
        return Rule(keys: keys, full: f, reduced: r)
    }
}

/// The status variable of an NS-SEC derivation and its coding: `VAR@CODING` on the command line, e.g.
/// `INECAC05@LFS`, `INECAC05@LFS(manager=MNG,size=WSIZE)`, `ST@ONS-REDUCED` or `ST@my_status.csv`.
public struct NSSECStatusReference: Sendable, Hashable {
    /// The variable before `@` (the first role's variable).
    public var variable: String
    /// A coding name of `nssec_status_codings.csv` (upper case) or the path of a user coding file (ends `.csv`).
    public var coding: String
    /// Role → variable overrides from `(role=VAR,...)`.
    public var variables: [String: String]

    public init(variable: String, coding: String, variables: [String: String] = [:]) {
        self.variable = variable
        self.coding = coding
        self.variables = variables
    }

    /// Whether `coding` names a user file rather than a shipped coding.
    public var isFile: Bool { coding.lowercased().hasSuffix(".csv") }

    /// Parses `VAR@CODING[(role=VAR,...)]`; `nil` when the text has no `@`.
    public init?(parsing text: String, option: String) throws {
        guard let at = text.firstIndex(of: "@") else { return nil }
        let variable = String(text[..<at])
        var rest = String(text[text.index(after: at)...])
        var overrides: [String: String] = [:]
        if let open = rest.firstIndex(of: "("), !rest.lowercased().hasSuffix(".csv") {
            guard rest.hasSuffix(")") else { throw HarmoniseError("\(option) '\(text)': missing ')' after the role variables") }
            let inner = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            for pair in inner.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                    throw HarmoniseError("\(option) '\(text)': expected role=VARIABLE inside (), found '\(pair)'")
                }
                overrides[kv[0].lowercased()] = kv[1]
            }
            rest = String(rest[..<open])
        }
        guard !variable.isEmpty, !rest.isEmpty else {
            throw HarmoniseError("\(option) '\(text)': expected STATUSVAR@CODING, e.g. INECAC05@LFS or ST@ONS-FULL")
        }
        self.init(variable: variable, coding: rest.lowercased().hasSuffix(".csv") ? rest : rest.uppercased(), variables: overrides)
    }

    /// The coding this reference names: a shipped one from `tables`, or the user file.
    ///
    /// - Throws: ``HarmoniseError`` for an unknown coding name or role, or an unreadable file.
    public func resolve(in tables: NSSECTables?) throws -> NSSECStatusCoding {
        let coding: NSSECStatusCoding
        if isFile {
            coding = try NSSECStatusCoding.load(file: URL(fileURLWithPath: self.coding))
        } else {
            guard let c = tables?.statusCodings[self.coding] else {
                let have = (tables?.statusCodings.keys.sorted() ?? []).joined(separator: ", ")
                throw HarmoniseError(
                    "unknown status coding '\(self.coding)' for \(variable) (have: \(have), or a coding file ending .csv)",
                    variable: variable)
            }
            coding = c
        }
        for role in variables.keys where !coding.roles.dropFirst().contains(role) {
            throw HarmoniseError(
                "coding \(coding.name) has no role '\(role)' to name a variable for (roles: \(coding.roles.dropFirst().joined(separator: ", ")))",
                variable: variable)
        }
        return coding
    }

    /// The variable of each role of `coding`, in role order.
    public func roleVariables(_ coding: NSSECStatusCoding) -> [String] {
        coding.roles.enumerated().map { i, role in
            i == 0 ? variable : variables[role] ?? coding.defaultVariables[role] ?? role.uppercased()
        }
    }

    /// The text form, `VAR@CODING(role=VAR)`.
    public var description: String {
        variable + "@" + coding + (variables.isEmpty ? "" : "(" + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + ")")
    }
}

import Foundation

/// An error in a tau-ARGUS tabular input: the table (`.tab`), its metadata (`.rda`) or a hierarchy
/// (`.hrc`), with the file, line and field (variable or keyword) at fault.
public struct TauArgusError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var reason: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? "")\(field.map { ": \($0)" } ?? ""): \(reason)"
    }
}

/// The metadata of a tau-ARGUS table (`.rda` for tabular input, manual §4.2): the separator, the status
/// letters and one entry per column of the `.tab` file, in order.
public struct TauArgusMetadata: Sendable {
    /// What a column holds.
    public enum Role: String, Sendable {
        /// A spanning (explanatory) variable, `<RECODEABLE>`.
        case spanning
        /// `<NUMERIC>`: a response variable.
        case response
        case shadow, cost, frequency
        /// `<MAXSCORE>`: one of the largest contributions.
        case topContribution
        case status
        case lowerProtection, upperProtection
    }

    public struct Variable: Sendable {
        public var name: String
        public var role: Role?
        public var totalCode = "Total"
        /// The `<HIERCODELIST>` file, resolved against the `.rda` file's folder.
        public var hierarchy: URL?
        public var leadString = "@"
        /// The `.rda` line that names the variable.
        public var line: Int
    }

    public var separator = ","
    public var safeStatus = "S", unsafeStatus = "U", protectStatus = "P"
    public var variables: [Variable] = []
    public var source: String

    /// Reads an `.rda` file.
    ///
    /// - Throws: `TauArgusError` naming the line and keyword of anything it does not understand (an
    ///   unknown keyword, a keyword before any variable, `<HIERLEVELS>`, a missing hierarchy file).
    public static func read(_ url: URL) throws -> TauArgusMetadata {
        var meta = TauArgusMetadata(source: url.path)
        func fail(_ line: Int, _ field: String?, _ reason: String) -> TauArgusError {
            TauArgusError(file: url.path, line: line, field: field, reason: reason)
        }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TauArgusError(file: url.path, line: nil, field: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = n + 1
            var tokens = try Self.tokens(String(raw), file: url.path, line: line)
            guard let first = tokens.first else { continue }
            tokens.removeFirst()
            guard first.hasPrefix("<") else {
                meta.variables.append(Variable(name: first, role: nil, line: line))
                continue
            }
            func argument() throws -> String {
                guard let value = tokens.first else { throw fail(line, first, "expected a value after \(first)") }
                tokens.removeFirst()
                return value
            }
            switch first {
            case "<SEPARATOR>": meta.separator = try argument(); continue
            case "<SAFE>": meta.safeStatus = try argument(); continue
            case "<UNSAFE>": meta.unsafeStatus = try argument(); continue
            case "<PROTECT>": meta.protectStatus = try argument(); continue
            default: break
            }
            guard !meta.variables.isEmpty else { throw fail(line, first, "keyword before any variable") }
            let v = meta.variables.count - 1
            switch first {
            case "<RECODEABLE>", "<RECODABLE>": meta.variables[v].role = .spanning
            case "<TOTCODE>": meta.variables[v].totalCode = try argument()
            case "<HIERARCHICAL>", "<DISTANCE>", "<CODELIST>", "<DECIMALS>", "<TRUNCABLE>": tokens.removeAll()
            case "<HIERLEADSTRING>": meta.variables[v].leadString = try argument()
            case "<HIERCODELIST>":
                meta.variables[v].hierarchy = try Self.locate(try argument(), besides: url, line: line)
            case "<HIERLEVELS>":
                throw fail(line, first, "hierarchies by digit levels are not supported: give a <HIERCODELIST> file")
            case "<NUMERIC>":
                let qualifier = tokens.first
                tokens.removeAll()
                switch qualifier {
                case nil: meta.variables[v].role = .response
                case "<SHADOW>": meta.variables[v].role = .shadow
                case "<COST>", "<COSTVAR>": meta.variables[v].role = .cost
                case "<LOWERPL>": meta.variables[v].role = .lowerProtection
                case "<UPPERPL>": meta.variables[v].role = .upperProtection
                case let other?: throw fail(line, other, "unknown <NUMERIC> qualifier")
                }
            case "<FREQUENCY>": meta.variables[v].role = .frequency
            case "<MAXSCORE>": meta.variables[v].role = .topContribution
            case "<STATUS>": meta.variables[v].role = .status
            default: throw fail(line, first, "unknown keyword")
            }
        }
        if let untyped = meta.variables.first(where: { $0.role == nil }) {
            throw fail(untyped.line, untyped.name, "variable has no type (<RECODEABLE>, <NUMERIC>, <FREQUENCY>, ...)")
        }
        guard meta.variables.contains(where: { $0.role == .spanning }) else {
            throw TauArgusError(file: url.path, line: nil, field: nil, reason: "no <RECODEABLE> spanning variable")
        }
        return meta
    }

    /// The tokens of an `.rda` line: words and `"quoted strings"`.
    static func tokens(_ line: String, file: String, line number: Int) throws -> [String] {
        var out: [String] = [], current = "", quoted = false, inToken = false
        for ch in line {
            if quoted {
                if ch == "\"" { quoted = false } else { current.append(ch) }
            } else if ch == "\"" {
                quoted = true
                inToken = true
            } else if ch == " " || ch == "\t" {
                if inToken { out.append(current); current = ""; inToken = false }
            } else {
                current.append(ch)
                inToken = true
            }
        }
        if quoted { throw TauArgusError(file: file, line: number, field: nil, reason: "unterminated quoted string") }
        if inToken { out.append(current) }
        return out
    }

    /// A file named in the `.rda`: as written, else in the `.rda` file's folder (ignoring case, as
    /// tau-ARGUS on Windows does).
    static func locate(_ name: String, besides rda: URL, line: Int) throws -> URL {
        let folder = rda.deletingLastPathComponent()
        let asWritten = name.hasPrefix("/") ? URL(fileURLWithPath: name) : folder.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: asWritten.path) { return asWritten }
        let base = (name.replacingOccurrences(of: "\\", with: "/") as NSString).lastPathComponent
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if let match = listing.first(where: { $0.lowercased() == base.lowercased() }) {
            return folder.appendingPathComponent(match)
        }
        throw TauArgusError(file: rda.path, line: line, field: "<HIERCODELIST>", reason: "no file '\(name)' beside the metadata")
    }
}

/// A table in tau-ARGUS tabular format: one `.tab` line per cell (spanning codes, then the numeric
/// columns in `.rda` order), with its metadata and the hierarchies it names.
public struct TauArgusTable: Sendable {
    public struct Cell: Sendable {
        /// One code per spanning variable (surrounding quotes and blanks removed).
        public var key: [String]
        /// The numeric columns by variable name.
        public var numbers: [String: Double]
        /// The status letter, if the table has a `<STATUS>` variable.
        public var status: String?
        public var line: Int
    }

    public var metadata: TauArgusMetadata
    public var dimensions: [TableDimension]
    public var cells: [Cell]
    public var source: String

    /// The metadata a `.tab` table is read with: `metadata` when given, else the table's name with `.rda`.
    public static func metadataURL(table: URL, metadata: URL?) -> URL {
        metadata ?? table.deletingPathExtension().appendingPathExtension("rda")
    }

    /// Every file reading `table` opens: the table, its metadata and the metadata's hierarchy (`.hrc`) files
    /// (those it can name; an unreadable `.rda` is reported later by ``read(table:metadata:)``). Outputs
    /// are checked against these before any work.
    public static func inputFiles(table: URL, metadata: URL?) -> [URL] {
        let rda = metadataURL(table: table, metadata: metadata)
        let hierarchies = (try? TauArgusMetadata.read(rda))?.variables.compactMap(\.hierarchy) ?? []
        return [table, rda] + hierarchies
    }

    /// Reads `table` with the metadata `metadata`.
    ///
    /// Numbers may use a decimal comma when the separator is not a comma. Codes are compared without
    /// surrounding blanks (so `" 1"` in the table is `@ 1` in a hierarchy).
    /// - Throws: `TauArgusError` naming the file, line and variable of a bad field.
    public static func read(table: URL, metadata: URL) throws -> TauArgusTable {
        let meta = try TauArgusMetadata.read(metadata)
        let spanning = meta.variables.filter { $0.role == .spanning }
        var dimensions: [TableDimension] = []
        var codes = Array(repeating: [String](), count: spanning.count)
        let text: String
        do { text = try String(contentsOf: table, encoding: .utf8) } catch {
            throw TauArgusError(file: table.path, line: nil, field: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        var cells: [Cell] = []
        let decimalComma = meta.separator != ","
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = raw.components(separatedBy: meta.separator).map(Self.unquote)
            guard fields.count == meta.variables.count else {
                throw TauArgusError(
                    file: table.path, line: n + 1, field: nil,
                    reason: "expected \(meta.variables.count) fields separated by '\(meta.separator)' (\(meta.variables.map(\.name).joined(separator: ", "))), found \(fields.count)")
            }
            var cell = Cell(key: [], numbers: [:], status: nil, line: n + 1)
            for (variable, field) in zip(meta.variables, fields) {
                switch variable.role {
                case .spanning:
                    let d = cell.key.count
                    if field != variable.totalCode, !codes[d].contains(field) { codes[d].append(field) }
                    cell.key.append(field)
                case .status:
                    cell.status = field
                default:
                    let text = decimalComma ? field.replacingOccurrences(of: ",", with: ".") : field
                    guard let x = Double(text), x.isFinite else {
                        throw TauArgusError(file: table.path, line: n + 1, field: variable.name, reason: "'\(field)' is not a number")
                    }
                    cell.numbers[variable.name] = x
                }
            }
            cells.append(cell)
        }
        guard !cells.isEmpty else { throw TauArgusError(file: table.path, line: nil, field: nil, reason: "no cells") }
        for (d, variable) in spanning.enumerated() {
            let children = try variable.hierarchy.map { try Self.hierarchy($0, lead: variable.leadString) } ?? [:]
            do {
                dimensions.append(try TableDimension(
                    name: variable.name, codes: codes[d].filter { children[$0] == nil }, total: variable.totalCode,
                    children: children))
            } catch let error as DisclosureError {
                throw TauArgusError(file: variable.hierarchy?.path ?? meta.source, line: nil, field: variable.name, reason: "\(error)")
            }
        }
        return TauArgusTable(metadata: meta, dimensions: dimensions, cells: cells, source: table.path)
    }

    static func unquote(_ field: String) -> String {
        var s = field.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// Reads a `.hrc` file: each line a code, preceded by the lead string once per level below the top.
    static func hierarchy(_ url: URL, lead: String) throws -> [String: [String]] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TauArgusError(file: url.path, line: nil, field: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        var children: [String: [String]] = [:]
        var path: [String] = []  // the current code at each depth
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            var rest = Substring(raw)
            var depth = 0
            while !lead.isEmpty, rest.hasPrefix(lead) { rest = rest.dropFirst(lead.count); depth += 1 }
            let code = rest.trimmingCharacters(in: .whitespaces)
            guard depth <= path.count else {
                throw TauArgusError(
                    file: url.path, line: n + 1, field: code,
                    reason: "code is \(depth) levels deep but its parent is only \(path.count - 1) deep")
            }
            path.removeLast(path.count - depth)
            if let parent = path.last { children[parent, default: []].append(code) }
            path.append(code)
        }
        return children
    }

    /// The variable of `role` named `name`, or the first of that role when `name` is `nil`.
    func variable(_ role: TauArgusMetadata.Role, named name: String?) throws -> String? {
        let candidates = metadata.variables.filter { $0.role == role }
        guard let name else { return candidates.first?.name }
        guard metadata.variables.contains(where: { $0.name == name && $0.role != .spanning && $0.role != .status }) else {
            throw TauArgusError(
                file: metadata.source, line: nil, field: name,
                reason: "no numeric variable of that name (numeric: \(metadata.variables.filter { $0.role != .spanning && $0.role != .status }.map(\.name).joined(separator: ", ")))")
        }
        return name
    }

    /// The table as a protection model and its given pattern (statuses and `<LOWERPL>`/`<UPPERPL>`
    /// protection levels).
    ///
    /// - Parameter value: the magnitude published, by name (default: the first `<NUMERIC>` response).
    /// - Throws: `TauArgusError` when there is no `<FREQUENCY>` variable, a status letter is unknown, or
    ///   a total is not the sum of its parts in the chosen magnitude (naming the `.tab` line).
    public func protectionInput(value: String? = nil) throws -> (table: ProtectionTable, pattern: GivenPattern, hasMagnitude: Bool) {
        guard let frequency = try variable(.frequency, named: nil) else {
            throw TauArgusError(
                file: metadata.source, line: nil, field: nil,
                reason: "no <FREQUENCY> variable: unit counts are needed for the threshold rule and the audit")
        }
        let magnitude = try variable(.response, named: value)
        let tops = metadata.variables.filter { $0.role == .topContribution }.map(\.name)
        let lower = metadata.variables.first { $0.role == .lowerProtection }?.name
        let upper = metadata.variables.first { $0.role == .upperProtection }?.name
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        var pattern = GivenPattern(source: source)
        for cell in cells {
            let units = cell.numbers[frequency] ?? 0
            guard units >= 0, units == units.rounded() else {
                throw TauArgusError(file: source, line: cell.line, field: frequency, reason: "\(units) is not a unit count")
            }
            let amount = magnitude.map { cell.numbers[$0] ?? 0 } ?? units
            let top = tops.compactMap { cell.numbers[$0] }.filter { $0 != 0 }.sorted(by: >)
            if let first = given[cell.key] {
                throw TauArgusError(file: source, line: cell.line, field: nil, reason: "cell \(cell.key) repeats line \(first.line)")
            }
            given[cell.key] = (CellEvidence(units: Int(units), value: amount, topContributions: top, hasNegative: amount < 0), cell.line)
            if let letter = cell.status {
                guard let status = GivenStatus(
                    letter, safe: metadata.safeStatus, unsafe: metadata.unsafeStatus, protect: metadata.protectStatus)
                else {
                    throw TauArgusError(
                        file: source, line: cell.line, field: metadata.variables.first { $0.role == .status }?.name,
                        reason: "'\(letter)' is not a status (\(metadata.safeStatus) safe, \(metadata.unsafeStatus) unsafe, \(metadata.protectStatus) protected, M secondary, E or Z empty)")
                }
                try pattern.set(cell.key, status, line: cell.line)
                if status == .primary, let lower, let upper, let l = cell.numbers[lower], let u = cell.numbers[upper] {
                    guard l >= 0, u >= 0 else {
                        throw TauArgusError(file: source, line: cell.line, field: l < 0 ? lower : upper, reason: "a protection level must be non-negative")
                    }
                    pattern.levels[cell.key] = (l, u)
                }
            }
        }
        do {
            let table = try ProtectionTable.grid(dimensions: dimensions, given: given, source: source)
            return (table, pattern, magnitude != nil)
        } catch let DisclosureError.table(file, line, reason) {
            throw TauArgusError(file: file, line: line, field: magnitude ?? frequency, reason: reason)
        }
    }
}

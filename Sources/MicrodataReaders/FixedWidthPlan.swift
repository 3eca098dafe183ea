import Foundation
import MicrodataCodebook

/// One field to cut from a line.
struct FieldSpec {
    /// Column index in the field's table.
    var column: Int
    /// 0-based start byte and exclusive end byte within the line.
    var start: Int
    var end: Int
    var decimals: Int
    var isText: Bool
    /// Index into the plan's missing rules, or -1.
    var rule: Int
}

/// The layout of one record type (the whole line for a rectangular file).
struct TypeLayout {
    var code: String
    var codeBytes: [UInt8]
    var numericCode: Int64?
    /// Which output table the rows go to.
    var table: Int
    var fields: [FieldSpec]
    /// Columns of the table this record type does not have (missing in long shape).
    var absent: [Int]
    /// Bytes a line needs to hold every selected field.
    var minLength: Int
    /// `false` when a record-type filter excludes this type.
    var included: Bool
}

/// A read plan for a fixed-width file: byte ranges, types, decimals and missing rules per record type.
struct FixedWidthPlan {
    /// Output tables: their record type (`nil` for long or rectangular) and columns.
    var tables: [(recordType: String?, variables: [Variable])]
    var layouts: [TypeLayout]
    var rules: [MissingRule]
    /// 0-based start and exclusive end of the record-type field; `nil` for rectangular files.
    var recordTypeField: (start: Int, end: Int, name: String)?
    var encoding: TextEncoding

    init(codebook: Codebook, dataPath: String, options: ReadOptions) throws {
        let source = codebook.source ?? "codebook"
        let file = FixedWidthPlan.dataFile(of: codebook, dataPath: dataPath)
        encoding = TextEncoding(charset: file?.charset)
        func resolve(_ key: String) -> Variable? { codebook.variable(named: key) ?? codebook.variable(id: key) }
        let candidates = codebook.variables.filter { v in
            guard let fileID = file?.id, !v.files.isEmpty else { return true }
            return v.files.contains(fileID)
        }
        func positioned(_ v: Variable) throws -> Variable {
            guard v.start != nil, v.width != nil || v.end != nil else {
                throw ReadError(message: "variable has no position (StartPos/EndPos) in the codebook", file: source,
                                variable: v.name)
            }
            let start = v.start!
            let end = v.end ?? (start + v.width! - 1)
            guard start >= 1, end >= start else {
                throw ReadError(
                    message: "variable has an empty or reversed position in the codebook: expected 1 ≤ StartPos ≤ "
                        + "EndPos, found StartPos \(start), EndPos \(end)" + (v.end == nil ? " (from width \(v.width!))" : ""),
                    file: source, variable: v.name)
            }
            return v
        }
        let recordTypes = file?.structure == .hierarchical ? (file?.recordTypes ?? []) : []
        var carried: [Variable] = []
        var idVariable: Variable?
        if !recordTypes.isEmpty {
            guard let idName = recordTypes.compactMap(\.idVariable).first, let v = resolve(idName) else {
                throw ReadError(message: "hierarchical file without a record-type variable (recGrp/@recidvar)",
                                file: source)
            }
            idVariable = try positioned(v)
            carried.append(v)
            for key in recordTypes.flatMap(\.keyVariables) {
                guard let k = resolve(key) else {
                    throw ReadError(message: "key variable (recGrp/@keyvar) is not in the codebook", file: source,
                                    variable: key)
                }
                if !carried.contains(where: { $0.name == k.name }) { carried.append(try positioned(k)) }
            }
        }
        var selected: [Variable]
        if let names = options.variables {
            selected = carried
            for name in names {
                guard let v = resolve(name) else {
                    throw ReadError(message: "variable is not in the codebook", file: source, variable: name)
                }
                if !selected.contains(where: { $0.name == v.name }) { selected.append(try positioned(v)) }
            }
        } else {
            selected = try candidates.filter { $0.start != nil }.map(positioned)
            if selected.isEmpty {
                throw ReadError(message: "the codebook has no variables with positions", file: source)
            }
        }
        var rules: [MissingRule] = []
        func ruleIndex(_ v: Variable) -> Int {
            if options.keepRawMissing { return -1 }
            let rule = MissingRule(variable: v, impliedDecimals: v.type == .character ? 0 : v.decimals)
            if rule.isEmpty { return -1 }
            rules.append(rule)
            return rules.count - 1
        }
        func field(_ v: Variable, column: Int, rule: Int) -> FieldSpec {
            let start = v.start! - 1
            let end = v.end ?? (start + v.width!)
            return FieldSpec(column: column, start: start, end: end, decimals: v.decimals,
                             isText: v.type == .character, rule: rule)
        }
        if recordTypes.isEmpty {
            let ruleIDs = selected.map(ruleIndex)
            let fields = selected.indices.map { field(selected[$0], column: $0, rule: ruleIDs[$0]) }
            tables = [(nil, selected)]
            layouts = [TypeLayout(code: "", codeBytes: [], numericCode: nil, table: 0, fields: fields, absent: [],
                                  minLength: fields.map(\.end).max() ?? 0, included: true)]
            recordTypeField = nil
            self.rules = rules
            return
        }
        let idVar = idVariable!
        let rtStart = idVar.start! - 1
        recordTypeField = (rtStart, idVar.end ?? (rtStart + idVar.width!), idVar.name)
        if let wanted = options.recordType, !recordTypes.contains(where: { $0.code == wanted }) {
            throw ReadError(message: "record type \"\(wanted)\" is not declared in the codebook (declared: "
                            + recordTypes.map(\.code).joined(separator: ", ") + ")", file: source)
        }
        let perType = options.shape == .perRecordType || options.recordType != nil
        func belongs(_ v: Variable, _ code: String) -> Bool { v.recordTypes.isEmpty || v.recordTypes.contains(code) }
        let ruleIDs = selected.map(ruleIndex)
        var tables: [(recordType: String?, variables: [Variable])] = []
        var layouts: [TypeLayout] = []
        if !perType { tables.append((nil, selected)) }
        for rt in recordTypes {
            let included = options.recordType == nil || options.recordType == rt.code
            var fields: [FieldSpec] = []
            var absent: [Int] = []
            let table: Int
            if perType {
                table = included ? tables.count : -1
                let members = selected.indices.filter { belongs(selected[$0], rt.code) }
                for (column, i) in members.enumerated() { fields.append(field(selected[i], column: column, rule: ruleIDs[i])) }
                if included { tables.append((rt.code, members.map { selected[$0] })) }
            } else {
                table = 0
                for i in selected.indices {
                    if belongs(selected[i], rt.code) {
                        fields.append(field(selected[i], column: i, rule: ruleIDs[i]))
                    } else {
                        absent.append(i)
                    }
                }
            }
            let code = rt.code.trimmingCharacters(in: .whitespaces)
            layouts.append(TypeLayout(code: code, codeBytes: Array(code.utf8), numericCode: Int64(code), table: table,
                                      fields: fields, absent: absent, minLength: fields.map(\.end).max() ?? 0,
                                      included: included))
        }
        self.tables = tables
        self.layouts = layouts
        self.rules = rules
    }

    /// The codebook's file description for `dataPath`: the one named like it, else the first.
    static func dataFile(of codebook: Codebook, dataPath: String) -> DataFile? {
        var base = URL(fileURLWithPath: dataPath).lastPathComponent.lowercased()
        if base.hasSuffix(".gz") { base.removeLast(3) }
        return codebook.files.first { ($0.name ?? "").lowercased() == base } ?? codebook.files.first
    }
}

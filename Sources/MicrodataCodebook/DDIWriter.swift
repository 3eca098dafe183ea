import Foundation

/// Writes a ``Codebook`` as a DDI-Codebook 2.5 document (namespace `ddi:codebook:2_5`).
///
/// Everything ``DDIParser`` reads is written, so parsing the output gives back an equal model (apart from
/// ``Codebook/source``): study citation and access conditions, files with record groups, variables with
/// labels, categories (missing-flagged, with frequencies), invalid-value items and ranges (`invalrng`), valid
/// ranges, weights (`wgt="wgt"`, `wgt-var`), summary statistics, formats and descriptive text.
///
/// Text is escaped for XML 1.0: `&`, `<`, `>` and, in attributes, quotes and line breaks. Characters XML 1.0
/// cannot hold at all (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) are written as U+FFFD and
/// reported in ``Document/warnings``.
///
/// ```swift
/// let xml = DDIWriter().write(codebook)
/// try DDIWriter().write(codebook, to: URL(fileURLWithPath: "survey.xml"))
/// ```
public struct DDIWriter: Sendable {
    /// The written XML and what could not be represented exactly.
    public struct Document: Sendable {
        public var xml: String
        /// One message per field in which characters were replaced.
        public var warnings: [String]
    }

    public init() {}

    /// The DDI 2.5 XML for `codebook`.
    public func write(_ codebook: Codebook) -> String { document(for: codebook).xml }

    /// Writes the XML to `url` (UTF-8) and returns the warnings.
    @discardableResult
    public func write(_ codebook: Codebook, to url: URL) throws -> [String] {
        let document = document(for: codebook)
        try Data(document.xml.utf8).write(to: url, options: .atomic)
        return document.warnings
    }

    /// The XML and its warnings.
    public func document(for codebook: Codebook) -> Document {
        var out = XMLOut()
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.open(
            "codeBook",
            [
                ("xmlns", "ddi:codebook:2_5"), ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:schemaLocation",
                    "ddi:codebook:2_5 http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
                ),
                ("version", "2.5"),
            ])
        writeStudy(codebook.study, &out)
        for file in codebook.files { writeFile(file, &out) }
        if !codebook.variables.isEmpty || !codebook.groups.isEmpty {
            out.open("dataDscr")
            for group in codebook.groups { writeGroup(group, &out) }
            for variable in codebook.variables { writeVariable(variable, &out) }
            out.close("dataDscr")
        }
        out.close("codeBook")
        return Document(xml: out.text, warnings: out.warnings)
    }

    // MARK: - Study

    private func writeStudy(_ study: Study, _ out: inout XMLOut) {
        out.open("stdyDscr")
        out.open("citation")
        out.open("titlStmt")
        out.element("titl", study.title ?? "", context: "study title")
        if let id = study.idNumber {
            out.element("IDNo", id, attributes: [("agency", study.idAgency)], context: "study IDNo")
        }
        out.close("titlStmt")
        if !study.producers.isEmpty || study.producerDate != nil || !study.software.isEmpty {
            out.open("prodStmt")
            for producer in study.producers { out.element("producer", producer, context: "producer") }
            if let date = study.producerDate { out.element("prodDate", date, context: "prodDate") }
            for software in study.software { out.element("software", software, context: "software") }
            out.close("prodStmt")
        }
        let doiFromIDNo = study.idNumber.map { id in
            let agency = study.idAgency?.lowercased() ?? ""
            return agency == "datacite" || agency == "doi" || id.lowercased().hasPrefix("doi:")
        } ?? false
        let doi = doiFromIDNo && study.doi == study.idNumber ? nil : study.doi
        let doiInHoldings = doi.map { $0.contains("doi.org/") } ?? false
        if study.seriesName != nil || (doi != nil && !doiInHoldings) {
            out.open("serStmt")
            if let name = study.seriesName { out.element("serName", name, context: "serName") }
            if let doi, !doiInHoldings { out.element("serInfo", doi, context: "DOI") }
            out.close("serStmt")
        }
        if let citation = study.citation { out.element("biblCit", citation, context: "citation") }
        if let doi, doiInHoldings { out.empty("holdings", [("URI", doi)]) }
        out.close("citation")
        if !study.nations.isEmpty || !study.samples.isEmpty {
            out.open("stdyInfo")
            if !study.nations.isEmpty {
                out.open("sumDscr")
                for nation in study.nations { out.element("nation", nation, context: "nation") }
                out.close("sumDscr")
            }
            for sample in study.samples {
                out.element("notes", "Additional notes on a sample that is part of this study: " + sample,
                            context: "sample")
            }
            out.close("stdyInfo")
        }
        if let weighting = study.weightingNote {
            out.open("method")
            out.open("dataColl")
            out.element("weight", weighting, context: "weighting note")
            out.close("dataColl")
            out.close("method")
        }
        if let conditions = study.conditionsOfUse {
            out.open("dataAccs")
            out.open("useStmt")
            out.element("conditions", conditions, context: "conditions of use")
            out.close("useStmt")
            out.close("dataAccs")
        }
        out.close("stdyDscr")
    }

    // MARK: - Files

    private func writeFile(_ file: DataFile, _ out: inout XMLOut) {
        out.open("fileDscr", [("ID", file.id), ("URI", file.uri)])
        out.open("fileTxt")
        if let name = file.name { out.element("fileName", name, context: "fileName") }
        if file.recordTypes.isEmpty {
            out.empty("fileStrc", [("type", file.structure.rawValue)])
        } else {
            out.open("fileStrc", [("type", file.structure.rawValue)])
            for record in file.recordTypes {
                out.open(
                    "recGrp",
                    [
                        ("rectype", record.code), ("recidvar", record.idVariable),
                        ("keyvar", joined(record.keyVariables)), ("recGrp", joined(record.children)),
                    ])
                if let label = record.label { out.element("labl", label, context: "record type \(record.code)") }
                out.close("recGrp")
            }
            out.close("fileStrc")
        }
        if file.caseCount != nil || file.variableCount != nil || file.recordsPerCase != nil {
            out.open("dimensns")
            if let n = file.caseCount { out.element("caseQnty", String(n), context: "caseQnty") }
            if let n = file.variableCount { out.element("varQnty", String(n), context: "varQnty") }
            if let n = file.recordsPerCase { out.element("recPrCas", String(n), context: "recPrCas") }
            out.close("dimensns")
        }
        if let charset = file.charset { out.empty("fileType", [("charset", charset)]) }
        if let format = file.format { out.element("format", format, context: "file format") }
        out.close("fileTxt")
        out.close("fileDscr")
    }

    // MARK: - Variables

    private func writeGroup(_ group: VariableGroup, _ out: inout XMLOut) {
        let attributes: [(String, String?)] = [
            ("ID", group.id), ("name", group.name), ("type", group.type), ("var", joined(group.variableIDs)),
            ("varGrp", joined(group.childGroups)),
        ]
        if let label = group.label {
            out.open("varGrp", attributes)
            out.element("labl", label, context: "group label")
            out.close("varGrp")
        } else {
            out.empty("varGrp", attributes)
        }
    }

    private func writeVariable(_ v: Variable, _ out: inout XMLOut) {
        let context = "variable \(v.name)"
        out.open(
            "var",
            [
                ("ID", v.id), ("name", v.name), ("files", joined(v.files)),
                ("dcml", v.decimals != 0 ? String(v.decimals) : nil), ("intrvl", v.interval), ("nature", v.nature),
                ("rectype", joined(v.recordTypes)), ("wgt", v.isWeight ? "wgt" : nil), ("wgt-var", v.weightVariable),
            ])
        if v.start != nil || v.end != nil || v.width != nil || v.recordSegment != nil {
            out.empty(
                "location",
                [
                    ("StartPos", v.start.map(String.init)), ("EndPos", v.end.map(String.init)),
                    ("width", v.width.map(String.init)), ("RecSegNo", v.recordSegment.map(String.init)),
                ])
        }
        for label in v.labels {
            out.element("labl", label.text, attributes: [("xml:lang", label.language), ("level", label.level)],
                        context: "\(context) label")
        }
        if let question = v.questionText {
            out.open("qstn")
            out.element("qstnLit", question, context: "\(context) question")
            out.close("qstn")
        }
        if !v.validRanges.isEmpty {
            out.open("valrng")
            for range in v.validRanges { out.empty("range", rangeAttributes(range)) }
            out.close("valrng")
        }
        if !v.missingValues.isEmpty {
            out.open("invalrng")
            for value in v.missingValues.values { out.empty("item", [("VALUE", value)]) }
            for range in v.missingValues.ranges { out.empty("range", rangeAttributes(range)) }
            out.close("invalrng")
        }
        if let universe = v.universe { out.element("universe", universe, context: "\(context) universe") }
        for stat in v.summaryStatistics {
            out.element("sumStat", number(stat.value),
                        attributes: [("wgtd", stat.isWeighted ? "wgtd" : nil), ("type", stat.type)],
                        context: "\(context) sumStat")
        }
        if let description = v.description { out.element("txt", description, context: "\(context) txt") }
        // Categories mined from codInstr are mined again by the parser; write the rest.
        let mined = v.codingInstructions != nil
        for category in v.categories where !(mined && category.isFromCodingInstructions) {
            writeCategory(category, variable: context, &out)
        }
        if let instructions = v.codingInstructions {
            out.element("codInstr", instructions, context: "\(context) codInstr")
        }
        for concept in v.concepts { out.element("concept", concept, context: "\(context) concept") }
        let type = v.type == .character ? "character" : "numeric"
        if let format = v.format {
            out.element("varFormat", format, attributes: [("type", type)], context: "\(context) format")
        } else {
            out.empty("varFormat", [("type", type)])
        }
        for note in v.notes { out.element("notes", note, context: "\(context) notes") }
        out.close("var")
    }

    private func writeCategory(_ c: Category, variable: String, _ out: inout XMLOut) {
        out.open("catgry", [("missing", c.isMissing ? "Y" : nil), ("missType", c.missingType)])
        out.element("catValu", c.value, context: "\(variable) category value")
        let labels = c.labels.isEmpty ? c.label.map { [LocalizedText($0)] } ?? [] : c.labels
        for label in labels {
            out.element("labl", label.text, attributes: [("xml:lang", label.language), ("level", label.level)],
                        context: "\(variable) category \(c.value) label")
        }
        if let n = c.frequency {
            out.element("catStat", number(n), attributes: [("type", "freq")], context: "\(variable) catStat")
        }
        if let n = c.weightedFrequency {
            out.element("catStat", number(n), attributes: [("type", "freq"), ("wgtd", "wgtd")],
                        context: "\(variable) catStat")
        }
        out.close("catgry")
    }

    // MARK: - Helpers

    private func rangeAttributes(_ range: ValueRange) -> [(String, String?)] {
        [("min", range.min.map { bound($0, scaled: range.minIsScaled) }),
         ("max", range.max.map { bound($0, scaled: range.maxIsScaled) })]
    }

    /// A range bound; one in scaled units keeps a decimal point (`999.0`) so it reads back as scaled.
    private func bound(_ x: Double, scaled: Bool) -> String {
        let text = number(x)
        return scaled && !text.contains(".") && !text.contains("e") ? text + ".0" : text
    }

    private func joined(_ list: [String]) -> String? { list.isEmpty ? nil : list.joined(separator: " ") }

    /// `1`, `-9`, `25000.5`: integers without a point, others in Swift's shortest round-trip form.
    private func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}

/// An indented XML writer with XML 1.0 escaping.
private struct XMLOut {
    var text = ""
    var warnings: [String] = []
    private var depth = 0

    mutating func raw(_ s: String) { text += s }

    private mutating func indent() { text += String(repeating: "  ", count: depth) }

    mutating func open(_ name: String, _ attributes: [(String, String?)] = []) {
        indent()
        text += "<" + name
        writeAttributes(attributes, element: name)
        text += ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        text += "</" + name + ">\n"
    }

    mutating func empty(_ name: String, _ attributes: [(String, String?)]) {
        indent()
        text += "<" + name
        writeAttributes(attributes, element: name)
        text += "/>\n"
    }

    mutating func element(_ name: String, _ content: String, attributes: [(String, String?)] = [], context: String) {
        indent()
        text += "<" + name
        writeAttributes(attributes, element: name)
        text += ">"
        escape(content, inAttribute: false, context: context)
        text += "</" + name + ">\n"
    }

    private mutating func writeAttributes(_ attributes: [(String, String?)], element: String) {
        for (key, value) in attributes {
            guard let value else { continue }
            text += " " + key + "=\""
            escape(value, inAttribute: true, context: "\(element)/@\(key)")
            text += "\""
        }
    }

    private mutating func escape(_ s: String, inAttribute: Bool, context: String) {
        var replaced = 0
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"" where inAttribute: text += "&quot;"
            case "\r": text += "&#xD;"
            case "\n" where inAttribute: text += "&#xA;"
            case "\t" where inAttribute: text += "&#x9;"
            case "\t", "\n": text.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    text += "\u{FFFD}"
                    replaced += 1
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        if replaced > 0 {
            warnings.append(
                "\(context): \(replaced) character(s) that XML 1.0 cannot hold were written as U+FFFD")
        }
    }
}

import Foundation

/// Builds a `Codebook` from the element stream of a DDI 2.x document (any dialect).
///
/// Elements are matched on local names only, so `ddi:codebook:2_5`, the ICPSR namespace, Nesstar's `xmlns=""`
/// children, no namespace and OAI-PMH envelopes all read the same way. A DDI 3.x document (`DDIInstance`,
/// `FragmentInstance`) yields its study title only.
final class DDICodebookBuilder: XMLStreamHandler {
    var codebook = Codebook()
    private(set) var sawCodeBook = false
    private(set) var sawDDI3 = false
    /// Values that could not be read as numbers, reported rather than dropped silently.
    private(set) var warnings: [CodebookWarning] = []
    private var line = 0
    /// Caps checked while building, and the source named in their errors.
    var limits = DDILimits()
    var source = ""

    // The element being built, with a flag saying whether one is open (non-optional so mutations stay in place).
    private var file = DataFile()
    private var inFile = false
    private var recordGroup = RecordType(code: "")
    private var inRecordGroup = false
    private var variable = Variable(name: "")
    private var inVariable = false
    private var category = Category(value: "")
    private var inCategory = false
    private var group = VariableGroup()
    private var inGroup = false
    private var language: String?
    private var statType = ""
    private var statWeighted = false
    private var documentTitle: String?
    private var documentDate: String?

    // MARK: - Start

    func start(_ name: String, path: [String], cursor: XMLCursor) throws -> Bool {
        let parent = path.count > 1 ? path[path.count - 2] : ""
        language = nil
        switch name {
        case "codeBook":
            sawCodeBook = true
            return false
        case "DDIInstance", "FragmentInstance":
            if !sawCodeBook { sawDDI3 = true }
            return false
        default:
            break
        }
        if sawDDI3 && !sawCodeBook {
            // DDI 3.x study-level document: the first citation title.
            return name == "String" && parent == "Title" && codebook.study.title == nil
        }
        if inVariable { return try startInVariable(name, parent: parent, cursor: cursor) }
        if inFile { return startInFile(name, parent: parent, cursor: cursor) }
        switch name {
        case "fileDscr":
            line = cursor.line
            file = DataFile(id: cursor.attribute("ID"), uri: cursor.attribute("URI"))
            inFile = true
            return false
        case "var" where parent == "dataDscr":
            var v = Variable(name: cursor.attribute("name") ?? cursor.attribute("ID") ?? "")
            v.id = cursor.attribute("ID")
            v.files = split(cursor.attribute("files"))
            line = cursor.line
            v.decimals = integer(cursor.attribute("dcml"), "dcml", of: v.name) ?? 0
            if !DDILimits.impliedDecimals.contains(v.decimals) {
                throw CodebookError(
                    .malformed, file: source, line: line,
                    message: "variable \(v.name): dcml must be a whole number from \(DDILimits.impliedDecimals.lowerBound) "
                        + "to \(DDILimits.impliedDecimals.upperBound) (a Double carries 15 significant digits), found \(v.decimals)")
            }
            v.interval = cursor.attribute("intrvl")
            v.nature = cursor.attribute("nature")
            v.recordTypes = split(cursor.attribute("rectype"))
            v.isWeight = cursor.attribute("wgt") == "wgt"
            v.weightVariable = cursor.attribute("wgt-var")
            variable = v
            inVariable = true
            return false
        case "varGrp":
            group = VariableGroup(
                id: cursor.attribute("ID"), name: cursor.attribute("name"), type: cursor.attribute("type"),
                variableIDs: split(cursor.attribute("var")), childGroups: split(cursor.attribute("varGrp")))
            inGroup = true
            return false
        case "labl" where parent == "varGrp":
            return inGroup
        case "holdings":
            if codebook.study.doi == nil, let uri = cursor.attribute("URI"), uri.contains("doi.org/") {
                codebook.study.doi = uri
            }
            return false
        case "IDNo":
            language = cursor.attribute("agency")
            return path.contains("stdyDscr") && parent == "titlStmt"
        case "prodDate":
            let date = cursor.attribute("date")
            if path.contains("stdyDscr") {
                if codebook.study.producerDate == nil, let date { codebook.study.producerDate = date }
            } else if documentDate == nil {
                documentDate = date
            }
            return true
        case "titl":
            return parent == "titlStmt"
        case "serName", "serInfo", "producer", "citReq", "biblCit", "conditions", "restrctn", "nation", "software":
            return true
        case "weight":
            return parent == "dataColl"
        case "notes":
            return parent == "stdyInfo"
        default:
            return false
        }
    }

    private func startInFile(_ name: String, parent: String, cursor: XMLCursor) -> Bool {
        switch name {
        case "fileName":
            if file.id == nil { file.id = cursor.attribute("ID") }
            return file.name == nil
        case "fileStrc":
            if let type = cursor.attribute("type") {
                file.structure = DataFile.Structure(rawValue: type.lowercased()) ?? .rectangular
            }
        case "recGrp":
            if inRecordGroup { file.recordTypes.append(recordGroup) }
            inRecordGroup = true
            recordGroup = RecordType(
                code: cursor.attribute("rectype") ?? cursor.attribute("ID") ?? "",
                idVariable: cursor.attribute("recidvar"), keyVariables: split(cursor.attribute("keyvar")),
                children: split(cursor.attribute("recGrp")))
        case "labl" where parent == "recGrp":
            return inRecordGroup && recordGroup.label == nil
        case "fileType":
            if let charset = cursor.attribute("charset") { file.charset = charset }
        case "format" where parent == "fileTxt":
            return true
        case "caseQnty", "varQnty", "recPrCas":
            return true
        default:
            break
        }
        return false
    }

    private func startInVariable(_ name: String, parent: String, cursor: XMLCursor) throws -> Bool {
        switch name {
        case "location":
            let name = variable.name
            let start = integer(cursor.attribute("StartPos"), "StartPos", of: name)
            let end = integer(cursor.attribute("EndPos"), "EndPos", of: name)
            let width = integer(cursor.attribute("width"), "width", of: name)
            variable.start = start
            variable.end = end ?? (start != nil && width != nil ? start! + width! - 1 : nil)
            variable.width = width ?? (start != nil && end != nil ? end! - start! + 1 : nil)
            variable.recordSegment = integer(cursor.attribute("RecSegNo"), "RecSegNo", of: name)
        case "labl":
            language = cursor.language
            return parent == "var" || parent == "catgry"
        case "catgry":
            if inCategory { variable.categories.append(category) }
            if variable.categories.count >= limits.maxCategoriesPerVariable {
                throw CodebookError(
                    .limitExceeded, file: source, line: cursor.line,
                    message: "variable \(variable.name) has more than the maximum of "
                        + "\(limits.maxCategoriesPerVariable) categories per variable "
                        + "(raise it with --max-categories, or DDILimits.maxCategoriesPerVariable)")
            }
            inCategory = true
            category = Category(
                value: "", isMissing: cursor.attribute("missing")?.uppercased() == "Y",
                missingType: cursor.attribute("missType"))
        case "catValu":
            return inCategory
        case "catStat":
            statWeighted = cursor.attribute("wgtd") == "wgtd"
            return inCategory && (cursor.attribute("type") ?? "freq") == "freq"
        case "sumStat":
            statType = cursor.attribute("type") ?? ""
            statWeighted = cursor.attribute("wgtd") == "wgtd"
            return !statType.isEmpty
        case "item":
            if let value = cursor.attribute("VALUE")?.trimmingWhitespace {
                if parent == "invalrng" {
                    if !variable.missingValues.values.contains(value) {
                        variable.missingValues.values.append(value)
                    }
                } else if parent == "valrng", let number = Double(value) {
                    variable.validRanges.append(ValueRange(min: number, max: number))
                }
            }
        case "range":
            let minText = cursor.attribute("min")
            let maxText = cursor.attribute("max")
            let range = ValueRange(
                min: real(minText, "\(parent)/range/@min", of: variable.name),
                max: real(maxText, "\(parent)/range/@max", of: variable.name),
                minIsScaled: minText?.contains(".") == true, maxIsScaled: maxText?.contains(".") == true)
            if parent == "invalrng" {
                variable.missingValues.ranges.append(range)
            } else if parent == "valrng" {
                variable.validRanges.append(range)
            }
        case "varFormat":
            if let type = cursor.attribute("type") {
                variable.type = type.lowercased() == "character" ? .character : .numeric
            }
            if let format = cursor.attribute("formatname") { variable.format = format }
            return true
        case "qstnLit":
            return variable.questionText == nil
        case "txt":
            return parent == "var"
        case "universe", "codInstr", "concept":
            return true
        case "notes":
            return parent == "var"
        default:
            break
        }
        return false
    }

    // MARK: - End

    func end(_ name: String, path: [String], text: String?) throws {
        let parent = path.count > 1 ? path[path.count - 2] : ""
        if sawDDI3 && !sawCodeBook {
            if let text, name == "String", parent == "Title", codebook.study.title == nil {
                codebook.study.title = clean(text)
            }
            return
        }
        if inVariable {
            endInVariable(name, parent: parent, text: text)
            return
        }
        if inFile {
            endInFile(name, parent: parent, text: text)
            return
        }
        switch name {
        case "varGrp":
            if inGroup { codebook.groups.append(group) }
            inGroup = false
        case "labl":
            if let text, inGroup, group.label == nil { group.label = clean(text) }
        default:
            if let text { studyText(name, parent: parent, path: path, text: clean(text)) }
        }
    }

    private func studyText(_ name: String, parent: String, path: [String], text: String?) {
        guard let text, !text.isEmpty else { return }
        let inStudy = path.contains("stdyDscr")
        var study = codebook.study
        switch name {
        case "titl":
            if inStudy, parent == "titlStmt", path.contains("citation") {
                if study.title == nil { study.title = text }
            } else if documentTitle == nil {
                documentTitle = text
            }
        case "IDNo":
            if study.idNumber == nil {
                study.idNumber = text
                study.idAgency = language
            }
            let agency = language?.lowercased() ?? ""
            if study.doi == nil, agency == "datacite" || agency == "doi" || text.lowercased().hasPrefix("doi:") {
                study.doi = text
            }
        case "serName":
            if study.seriesName == nil { study.seriesName = text }
        case "serInfo":
            if study.doi == nil, text.contains("10.") { study.doi = text }
        case "prodDate":
            if inStudy, study.producerDate == nil { study.producerDate = text }
            if !inStudy, documentDate == nil { documentDate = text }
        case "producer":
            if inStudy, !study.producers.contains(text) { study.producers.append(text) }
        case "citReq", "biblCit":
            if study.citation == nil { study.citation = text }
        case "conditions", "restrctn":
            study.conditionsOfUse = study.conditionsOfUse.map { $0 + "\n\n" + text } ?? text
        case "nation":
            if !study.nations.contains(text) { study.nations.append(text) }
        case "weight":
            if study.weightingNote == nil { study.weightingNote = text }
        case "software":
            if !study.software.contains(text) { study.software.append(text) }
        case "notes":
            // IPUMS: "Additional notes on a sample that is part of this study:  IPUMS-CPS, January 2022\n..."
            if let marker = text.range(of: "part of this study:") {
                let rest = text[marker.upperBound...]
                let sample = String(rest.prefix { $0 != "\n" && $0 != "\r" }).trimmingWhitespace
                if !sample.isEmpty { study.samples.append(sample) }
            }
        default:
            break
        }
        codebook.study = study
    }

    private func endInFile(_ name: String, parent: String, text: String?) {
        let value = text.map(clean) ?? nil
        switch name {
        case "fileDscr":
            if inRecordGroup { file.recordTypes.append(recordGroup) }
            inRecordGroup = false
            codebook.files.append(file)
            inFile = false
        case "recGrp":
            if inRecordGroup { file.recordTypes.append(recordGroup) }
            inRecordGroup = false
        case "fileName":
            if let value, file.name == nil { file.name = value }
        case "labl":
            if let value, inRecordGroup, recordGroup.label == nil { recordGroup.label = value }
        case "format":
            if let value { file.format = value }
        case "caseQnty":
            file.caseCount = integer(value, "caseQnty", of: nil)
        case "varQnty":
            file.variableCount = integer(value, "varQnty", of: nil)
        case "recPrCas":
            file.recordsPerCase = integer(value, "recPrCas", of: nil)
        default:
            break
        }
    }

    private func endInVariable(_ name: String, parent: String, text: String?) {
        switch name {
        case "var":
            if inCategory { variable.categories.append(category) }
            inCategory = false
            for c in variable.categories where c.isMissing && !c.value.isEmpty {
                if !variable.missingValues.values.contains(c.value) { variable.missingValues.values.append(c.value) }
            }
            CodingInstructionLabels.merge(into: &variable)
            codebook.variables.append(variable)
            variable = Variable(name: "")
            inVariable = false
            return
        case "catgry":
            if inCategory { variable.categories.append(category) }
            inCategory = false
            return
        default:
            break
        }
        guard let raw = text else { return }
        switch name {
        case "labl":
            guard let value = clean(raw) else { return }
            let entry = LocalizedText(value, language: language)
            if parent == "catgry" {
                if category.label == nil { category.label = value }
                category.labels.append(entry)
            } else {
                variable.labels.append(entry)
            }
        case "catValu":
            category.value = raw
        case "catStat":
            guard let number = real(raw, "catStat", of: variable.name) else { return }
            if statWeighted {
                if category.weightedFrequency == nil { category.weightedFrequency = number }
            } else if category.frequency == nil {
                category.frequency = number
            }
        case "sumStat":
            guard let number = real(raw, "sumStat type=\(statType)", of: variable.name) else { return }
            variable.summaryStatistics.append(
                SummaryStatistic(type: statType, value: number, isWeighted: statWeighted))
        case "varFormat":
            if let value = clean(raw), variable.format == nil { variable.format = value }
        case "qstnLit":
            if let value = clean(raw) { variable.questionText = value }
        case "txt":
            if let value = clean(raw), variable.description == nil { variable.description = value }
        case "universe":
            if let value = clean(raw), variable.universe == nil { variable.universe = value }
        case "codInstr":
            if let value = clean(raw), variable.codingInstructions == nil { variable.codingInstructions = value }
        case "concept":
            if let value = clean(raw) { variable.concepts.append(value) }
        case "notes":
            if let value = clean(raw) { variable.notes.append(value) }
        default:
            break
        }
    }

    // MARK: - Finish

    /// Applies what needs the whole document: record-type labels on the record-id variable, the document-level
    /// fallbacks, and weights by known name when the codebook flags none.
    func finish(knownWeightNames: Set<String>?) {
        if codebook.study.title == nil { codebook.study.title = documentTitle }
        if codebook.study.producerDate == nil { codebook.study.producerDate = documentDate }
        applyRecordTypeLabels()
        if let knownWeightNames, !codebook.variables.contains(where: \.isWeight) {
            for index in codebook.variables.indices
            where knownWeightNames.contains(codebook.variables[index].name.uppercased()) {
                codebook.variables[index].isWeight = true
            }
        }
    }

    /// ipumsr takes record-type value labels from `recGrp/labl`, because the extract engine cannot label
    /// RECTYPE itself (ATUS writes H/P/A/W/R as labels of 1–5: ipumsr issue #43). Do the same.
    private func applyRecordTypeLabels() {
        for file in codebook.files {
            for recordType in file.recordTypes {
                guard let idName = recordType.idVariable, let label = recordType.label, !recordType.code.isEmpty,
                    let index = codebook.variables.firstIndex(where: { $0.name == idName })
                else { continue }
                var v = codebook.variables[index]
                if let c = v.categories.firstIndex(where: { $0.value == recordType.code })
                    ?? v.categories.firstIndex(where: {
                        Double($0.value) != nil && Double($0.value) == Double(recordType.code)
                    })
                {
                    v.categories[c].label = label
                    v.categories[c].labels = [LocalizedText(label)]
                } else {
                    v.categories.append(Category(value: recordType.code, label: label, labels: [LocalizedText(label)]))
                }
                codebook.variables[index] = v
            }
        }
    }

    // MARK: - Helpers

    private func split(_ list: String?) -> [String] {
        guard let list else { return [] }
        return list.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
    }

    /// The integer in `text`; a warning naming the field when it is present but not an integer.
    private func integer(_ text: String?, _ field: String, of variable: String?) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        if let value = Int(text) ?? Int(text.trimmingWhitespace) { return value }
        unreadable(text, field, variable)
        return nil
    }

    /// The number in `text`; a warning naming the field when it is present but not a number.
    private func real(_ text: String?, _ field: String, of variable: String?) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        if let value = Double(text) ?? Double(text.trimmingWhitespace) { return value }
        unreadable(text, field, variable)
        return nil
    }

    private func unreadable(_ text: String, _ field: String, _ variable: String?) {
        let owner = variable.map { "variable \($0)" } ?? "file \(file.id ?? file.name ?? "?")"
        warnings.append(
            CodebookWarning(
                .unreadableNumber, variable: variable,
                message: "\(owner) (near line \(line)): \(field) \"\(text.prefix(40))\" is not a number; ignored"))
    }

    /// `nil` for empty text (XMLStream already trimmed it).
    private func clean(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}

/// Writes the `microdata inspect --format json` document straight to bytes (Foundation's `JSONEncoder` was the
/// bulk of the run time on the 844 KB Nesstar codebook).
///
/// Stable keys other tools rely on: top level `study`, `files`, `variables`; each file `id`, `name`, `structure`,
/// `charset`, `recordTypes` (`code`, `label`, `idVariable`, `keyVariables`); each variable `name`, `label`, `start`,
/// `end`, `width`, `decimals`, `type`, `recordTypes`, `isWeight`, `categories` (`value`, `label`, `missing`),
/// `missingValues` (`values`, `ranges` with `min`/`max`). Absent values are written as `null`.
public struct CodebookJSONWriter {
    /// The document written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init() {}

    /// Appends the document for `book`: its study, files and groups, the `variables` chosen, the metadata
    /// `warnings`, and `codeLists` (a DDI 3 document's) when there are any.
    public mutating func write(_ book: Codebook, variables: [Variable], warnings: [MetadataWarning], codeLists: [CodeList]) {
        bytes.reserveCapacity(4096 + variables.count * 512)
        beginObject()
        key("source")
        string(book.source)
        key("study")
        study(book.study)
        key("files")
        array(book.files) { $0.file($1) }
        key("variables")
        array(variables) { $0.variable($1) }
        key("groups")
        array(book.groups) { w, g in
            w.beginObject()
            w.key("id"); w.string(g.id)
            w.key("name"); w.string(g.name)
            w.key("label"); w.string(g.label)
            w.key("type"); w.string(g.type)
            w.key("variableIDs"); w.strings(g.variableIDs)
            w.key("childGroups"); w.strings(g.childGroups)
            w.endObject()
        }
        key("warnings")
        array(warnings) { w, warning in
            w.beginObject()
            w.key("kind"); w.string(warning.kind)
            w.key("variable"); w.string(warning.variable)
            w.key("message"); w.string(warning.message)
            w.endObject()
        }
        if !codeLists.isEmpty {
            key("codeLists")
            array(codeLists) { $0.codeList($1) }
        }
        endObject()
        bytes.append(0x0A)
    }

    // MARK: - Model parts

    private mutating func study(_ s: Study) {
        beginObject()
        key("title"); string(s.title)
        key("idNumber"); string(s.idNumber)
        key("idAgency"); string(s.idAgency)
        key("doi"); string(s.doi)
        key("citation"); string(s.citation)
        key("conditionsOfUse"); string(s.conditionsOfUse)
        key("producerDate"); string(s.producerDate)
        key("producers"); strings(s.producers)
        key("seriesName"); string(s.seriesName)
        key("samples"); strings(s.samples)
        key("nations"); strings(s.nations)
        key("weightingNote"); string(s.weightingNote)
        key("software"); strings(s.software)
        endObject()
    }

    private mutating func file(_ f: DataFile) {
        beginObject()
        key("id"); string(f.id)
        key("name"); string(f.name)
        key("uri"); string(f.uri)
        key("structure"); string(f.structure.rawValue)
        key("charset"); string(f.charset)
        key("format"); string(f.format)
        key("caseCount"); int(f.caseCount)
        key("variableCount"); int(f.variableCount)
        key("recordsPerCase"); int(f.recordsPerCase)
        key("recordTypes")
        array(f.recordTypes) { w, t in
            w.beginObject()
            w.key("code"); w.string(t.code)
            w.key("label"); w.string(t.label)
            w.key("idVariable"); w.string(t.idVariable)
            w.key("keyVariables"); w.strings(t.keyVariables)
            w.key("children"); w.strings(t.children)
            w.endObject()
        }
        endObject()
    }

    private mutating func variable(_ v: Variable) {
        beginObject()
        key("name"); string(v.name)
        key("id"); string(v.id)
        key("files"); strings(v.files)
        key("label"); string(v.label)
        key("labels"); texts(v.labels)
        key("start"); int(v.start)
        key("end"); int(v.end)
        key("width"); int(v.width)
        key("recordSegment"); int(v.recordSegment)
        key("decimals"); int(v.decimals)
        key("type"); string(v.type.rawValue)
        key("format"); string(v.format)
        key("interval"); string(v.interval)
        key("nature"); string(v.nature)
        key("recordTypes"); strings(v.recordTypes)
        key("isWeight"); bool(v.isWeight)
        key("weightVariable"); string(v.weightVariable)
        key("categories")
        array(v.categories) { w, c in
            w.beginObject()
            w.key("value"); w.string(c.value)
            w.key("label"); w.string(c.label)
            if c.labels.count > 1 { w.key("labels"); w.texts(c.labels) }
            w.key("missing"); w.bool(c.isMissing)
            if let type = c.missingType { w.key("missingType"); w.string(type) }
            if let f = c.frequency { w.key("frequency"); w.double(f) }
            if let f = c.weightedFrequency { w.key("weightedFrequency"); w.double(f) }
            if c.isFromCodingInstructions { w.key("fromCodingInstructions"); w.bool(true) }
            w.endObject()
        }
        key("missingValues")
        beginObject()
        key("values"); strings(v.missingValues.values)
        key("ranges"); ranges(v.missingValues.ranges)
        endObject()
        key("validRanges"); ranges(v.validRanges)
        key("summaryStatistics")
        array(v.summaryStatistics) { w, stat in
            w.beginObject()
            w.key("type"); w.string(stat.type)
            w.key("value"); w.double(stat.value)
            w.key("weighted"); w.bool(stat.isWeighted)
            w.endObject()
        }
        key("questionText"); string(v.questionText)
        key("universe"); string(v.universe)
        key("description"); string(v.description)
        key("notes"); strings(v.notes)
        key("codingInstructions"); string(v.codingInstructions)
        key("concepts"); strings(v.concepts)
        endObject()
    }

    private mutating func codeList(_ list: CodeList) {
        beginObject()
        key("id"); string(list.id)
        key("agency"); string(list.agency)
        key("version"); string(list.version)
        key("labels"); texts(list.labels)
        key("levelCounts"); array(list.levelCounts) { $0.int($1) }
        key("codes"); codes(list.codes)
        endObject()
    }

    private mutating func codes(_ codes: [ClassificationCode]) {
        array(codes) { w, code in
            w.beginObject()
            w.key("value"); w.string(code.value)
            w.key("level"); w.int(code.level)
            w.key("label"); w.string(code.label)
            w.key("labels"); w.texts(code.labels)
            w.key("categoryID"); w.string(code.categoryID)
            w.key("children"); w.codes(code.children)
            w.endObject()
        }
    }

    private mutating func ranges(_ ranges: [ValueRange]) {
        array(ranges) { w, r in
            w.beginObject()
            w.key("min"); w.double(r.min)
            w.key("max"); w.double(r.max)
            w.endObject()
        }
    }

    private mutating func texts(_ texts: [LocalizedText]) {
        array(texts) { w, t in
            w.beginObject()
            w.key("text"); w.string(t.text)
            w.key("language"); w.string(t.language)
            if let level = t.level { w.key("level"); w.string(level) }
            w.endObject()
        }
    }

    // MARK: - Primitives

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    private mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    private mutating func array<T>(_ items: [T], _ body: (inout CodebookJSONWriter, T) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items { body(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    private mutating func key(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func null() {
        separator()
        ascii("null")
        needsComma = true
    }

    private mutating func bool(_ value: Bool) {
        separator()
        ascii(value ? "true" : "false")
        needsComma = true
    }

    private mutating func int(_ value: Int?) {
        guard let value else { return null() }
        separator()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    private mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        separator()
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
        needsComma = true
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }

    private mutating func string(_ value: String?) {
        guard let value else { return null() }
        separator()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(0x5C)
                bytes.append(byte)
            case 0x0A: ascii("\\n")
            case 0x0D: ascii("\\r")
            case 0x09: ascii("\\t")
            case 0..<0x20:
                ascii("\\u00")
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 15)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }
}

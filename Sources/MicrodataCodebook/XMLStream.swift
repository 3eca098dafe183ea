import CLibXML2
import Foundation

/// One-time libxml2 set-up: initialise the library and install a loader that refuses every external entity
/// or DTD, whatever options a later caller passes.
private let libxmlSetUp: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader { _, _, _ in nil }
}()

/// Safe reader options: no network, CDATA as text, compact nodes. Never NOENT, DTDLOAD, DTDATTR, DTDVALID or HUGE,
/// so libxml2's entity-loop detection, text-node cap and depth limit stay on.
private let safeOptions = Int32(
    bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)

/// Receives the elements of a streamed XML document.
///
/// `path` holds the local names from the root down to the current element, inclusive.
protocol XMLStreamHandler {
    /// An element starts. Return `true` to collect its text content (descendants' text included).
    mutating func start(_ name: String, path: [String], cursor: XMLCursor) throws -> Bool
    /// An element ends; `text` is its collected text (trimmed of ASCII whitespace) when `start` asked for it.
    mutating func end(_ name: String, path: [String], text: String?) throws
}

/// Attribute access on the element the reader is positioned on.
struct XMLCursor {
    fileprivate let reader: xmlTextReaderPtr

    /// The value of the attribute with this local name (namespace ignored), or `nil`.
    func attribute(_ localName: String) -> String? {
        guard xmlTextReaderHasAttributes(reader) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        var more = xmlTextReaderMoveToFirstAttribute(reader)
        while more == 1 {
            if let name = xmlTextReaderConstLocalName(reader),
                localName.withCString({ strcmp($0, UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)) }) == 0,
                let value = xmlTextReaderConstValue(reader)
            {
                return String(cString: value)
            }
            more = xmlTextReaderMoveToNextAttribute(reader)
        }
        return nil
    }

    /// `@xml:lang`, or Nesstar's non-standard `@xml-lang`.
    var language: String? { attribute("lang") ?? attribute("xml-lang") }

    /// The current line, for messages.
    var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }
}

/// The UTF-8 bytes as a string without leading and trailing ASCII whitespace (space, tab, CR, LF).
private func trimmedString(_ bytes: [UInt8]) -> String {
    var lower = 0
    var upper = bytes.count
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    while lower < upper, isSpace(bytes[lower]) { lower += 1 }
    while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
    return bytes.withUnsafeBufferPointer { String(decoding: $0[lower..<upper], as: UTF8.self) }
}

/// Collects the first error libxml2 reports while reading.
private final class ErrorBox {
    var message: String?
    var line = 0
    var column = 0
}

/// Streams an XML document through libxml2's `xmlTextReader` and calls `handler` for each element.
///
/// Rejects any DOCTYPE before content is read; maps the first parser error to a `CodebookError`.
enum XMLStream {
    static func run<H: XMLStreamHandler>(
        file url: URL, limits: DDILimits = DDILimits(), handler: inout H
    ) throws {
        _ = libxmlSetUp
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            FileManager.default.isReadableFile(atPath: path)
        else {
            throw CodebookError(
                .unreadable, file: path,
                message: isDirectory.boolValue ? "is a directory, not a codebook file" : "cannot open the file for reading")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0 {
            throw CodebookError(.malformed, file: path, line: 1, column: 1, message: "the document is empty")
        }
        try checkAttributes(file: path, limits: limits)
        guard let reader = xmlReaderForFile(path, nil, safeOptions) else {
            throw CodebookError(.unreadable, file: path, message: "libxml2 could not open the file")
        }
        defer { xmlFreeTextReader(reader) }
        let head = FileHandle(forReadingAtPath: path).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: prologScanLength)
        }
        try drive(
            reader, source: path, doctype: head.map(declaresDoctype) ?? false, limits: limits, handler: &handler)
    }

    static func run<H: XMLStreamHandler>(
        data: Data, source: String, limits: DDILimits = DDILimits(), handler: inout H
    ) throws {
        _ = libxmlSetUp
        guard !data.isEmpty else {
            throw CodebookError(.malformed, file: source, line: 1, column: 1, message: "the document is empty")
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var scan = AttributeScan(limit: limits.maxAttributes)
            if let count = scan.scan(raw) { throw attributeFlood(source, line: scan.line, count: count, limits) }
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard let reader = xmlReaderForMemory(base, Int32(raw.count), source, nil, safeOptions) else {
                throw CodebookError(.unreadable, file: source, message: "libxml2 could not read the data")
            }
            defer { xmlFreeTextReader(reader) }
            let doctype = declaresDoctype(data.prefix(prologScanLength))
            try drive(reader, source: source, doctype: doctype, limits: limits, handler: &handler)
        }
    }

    /// Refuses a document with an element carrying more than `limits.maxAttributes` attributes, reading it in
    /// chunks before libxml2 parses it (see ``AttributeScan``).
    private static func checkAttributes(file path: String, limits: DDILimits) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }  // libxml2 reports it
        defer { try? handle.close() }
        var scan = AttributeScan(limit: limits.maxAttributes)
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if let count = chunk.withUnsafeBytes({ scan.scan($0) }) {
                throw attributeFlood(path, line: scan.line, count: count, limits)
            }
        }
    }

    private static func attributeFlood(_ source: String, line: Int, count: Int, _ limits: DDILimits) -> CodebookError {
        CodebookError(
            .limitExceeded, file: source, line: line,
            message: "an element has more than \(limits.maxAttributes) attributes, the maximum "
                + "(raise it with --max-xml-attributes, or DDILimits.maxAttributes)")
    }

    /// How much of the start of a document is searched for a DOCTYPE.
    private static let prologScanLength = 65536

    /// Whether the prolog (the bytes before the root element) declares a DOCTYPE. Zero bytes are skipped so
    /// UTF-16 documents are searched too. libxml2 may report an entity error before the DOCTYPE node is seen;
    /// this lets that error be classed as a refused DOCTYPE.
    static func declaresDoctype(_ head: Data) -> Bool {
        let marker = Array("<!DOCTYPE".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.count)
        for byte in head where byte != 0 { bytes.append(byte) }
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), i + 1 < bytes.count {
                let next = bytes[i + 1]
                if next == UInt8(ascii: "!"), bytes.count - i >= marker.count,
                    Array(bytes[i..<(i + marker.count)]) == marker
                {
                    return true
                }
                if next != UInt8(ascii: "!") && next != UInt8(ascii: "?") { return false }  // the root element
            }
            i += 1
        }
        return false
    }

    private static func drive<H: XMLStreamHandler>(
        _ reader: xmlTextReaderPtr, source: String, doctype: Bool, limits: DDILimits, handler: inout H
    ) throws {
        let box = ErrorBox()
        try withExtendedLifetime(box) {
            let context = Unmanaged.passUnretained(box).toOpaque()
            xmlTextReaderSetStructuredErrorHandler(
                reader,
                { context, error in
                    guard let context, let error else { return }
                    let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
                    guard box.message == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
                    let text = error.pointee.message.map { String(cString: $0) } ?? "XML error"
                    box.message = text.trimmingWhitespace
                    box.line = Int(error.pointee.line)
                    box.column = Int(error.pointee.int2)
                }, context)

            let cursor = XMLCursor(reader: reader)
            var path: [String] = []
            var captureDepth = -1
            var buffer: [UInt8] = []
            var sawRoot = false

            func fail() -> CodebookError {
                if doctype {
                    return CodebookError(
                        .forbiddenDoctype, file: source, line: box.message == nil ? nil : box.line,
                        column: box.message == nil ? nil : box.column,
                        message: "DOCTYPE declarations are not allowed in a codebook (entities and DTDs are refused)"
                            + (box.message.map { "; libxml2: \($0)" } ?? ""))
                }
                if let message = box.message {
                    return CodebookError(
                        .malformed, file: source, line: box.line, column: box.column, message: message)
                }
                return CodebookError(
                    .malformed, file: source, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                    column: Int(xmlTextReaderGetParserColumnNumber(reader)), message: "the XML is not well-formed")
            }

            func finish(_ name: String) throws {
                var text: String?
                if captureDepth == path.count {
                    text = trimmedString(buffer)
                    captureDepth = -1
                }
                try handler.end(name, path: path, text: text)
                path.removeLast()
            }

            while true {
                let status = xmlTextReaderRead(reader)
                if box.message != nil || status < 0 { throw fail() }
                if status == 0 { break }
                switch xmlTextReaderNodeType(reader) {
                case 1:  // element
                    sawRoot = true
                    let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                    let empty = xmlTextReaderIsEmptyElement(reader) == 1
                    path.append(name)
                    if path.count > limits.maxDepth {
                        throw CodebookError(
                            .limitExceeded, file: source, line: cursor.line,
                            message: "<\(name)> is nested deeper than the maximum XML depth of \(limits.maxDepth) "
                                + "(raise it with --max-xml-depth, or DDILimits.maxDepth)")
                    }
                    if try handler.start(name, path: path, cursor: cursor), captureDepth < 0 {
                        captureDepth = path.count
                        buffer.removeAll(keepingCapacity: true)
                    }
                    if empty { try finish(name) }
                case 15:  // end element
                    guard let name = path.last else { throw fail() }
                    try finish(name)
                case 3, 4, 13, 14:  // text, CDATA, whitespace
                    if captureDepth >= 0, let value = xmlTextReaderConstValue(reader) {
                        let count = strlen(value)
                        if buffer.count + count > limits.maxLabelBytes {
                            throw CodebookError(
                                .limitExceeded, file: source, line: cursor.line,
                                message: "the text of <\(path[captureDepth - 1])> is longer than the maximum label "
                                    + "size of \(limits.maxLabelBytes) bytes (raise it with --max-label-bytes, or DDILimits.maxLabelBytes)")
                        }
                        buffer.append(contentsOf: UnsafeBufferPointer(start: value, count: count))
                    }
                case 10:  // DOCTYPE: DDI never uses DTDs; refuse before any entity can be expanded.
                    throw CodebookError(
                        .forbiddenDoctype, file: source, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                        column: Int(xmlTextReaderGetParserColumnNumber(reader)),
                        message: "DOCTYPE declarations are not allowed in a codebook (entities and DTDs are refused)")
                case 5:  // an unexpanded entity reference
                    throw CodebookError(
                        .forbiddenDoctype, file: source, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                        column: Int(xmlTextReaderGetParserColumnNumber(reader)),
                        message: "entity references are not allowed in a codebook")
                default:
                    break
                }
            }
            if box.message != nil { throw fail() }
            if !sawRoot {
                throw CodebookError(.malformed, file: source, line: 1, column: 1, message: "no root element")
            }
            if !path.isEmpty {
                throw CodebookError(
                    .malformed, file: source, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                    column: Int(xmlTextReaderGetParserColumnNumber(reader)),
                    message: "the document ends inside <\(path.last!)> (truncated?)")
            }
        }
    }
}

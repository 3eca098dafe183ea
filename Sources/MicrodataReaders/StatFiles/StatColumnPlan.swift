import CReadStat
import Foundation
import MicrodataCodebook

/// How one column is declared and written: its ReadStat type and width, labels and missing codes.
struct StatColumnPlan {
    let name: String
    let format: StatFileWriter.Format
    let isText: Bool
    let type: readstat_type_t
    let width: Int
    let variable: Variable?
    /// .dta: declared missing codes → extended missing tag (`a`…`z`).
    var tags: [Double: CChar] = [:]
    /// .dta: the declared missing ranges, whose unlisted values become `.`.
    var missingRanges: [ValueRange] = []
    var missingCodes: Set<Double> = []
    /// .sav: the display format's width and decimals.
    var displayWidth = 8
    var decimals = 0
    /// .sav: the user-missing declaration (SPSS holds three values, or one range and one value).
    var spssRange: (Double, Double)?
    var spssValues: [Double] = []

    init(name: String, column parts: [Column], variable: Variable?, format: StatFileWriter.Format,
         warnings: inout [String]) throws
    {
        self.name = name
        self.format = format
        self.variable = variable
        isText = parts.contains { if case .text = $0.storage { return true } else { return false } }
        if isText {
            var widest = 1
            for part in parts {
                for row in 0..<part.count { widest = max(widest, part.text(at: row)?.utf8.count ?? 0) }
            }
            let limit = format == .dta ? 2045 : 32767
            guard widest <= limit else {
                throw StatFileWriteError("a value is \(widest) bytes long; .\(format.rawValue) text holds at most \(limit)",
                                         variable: name, format: format)
            }
            type = READSTAT_TYPE_STRING
            width = widest
            if format == .dta, let v = variable, v.categories.contains(where: { $0.label != nil }) || !v.missingValues.isEmpty {
                warnings.append("\(name): Stata holds no value labels or missing codes for text; they are not written")
            }
            return
        }
        width = 0
        if let v = variable {
            missingCodes = Set(v.missingValues.values.compactMap { Double($0) })
            missingRanges = v.missingValues.ranges
        }
        if format == .dta, let v = variable {
            // Tags for the listed codes, in order of declaration, then labelled codes inside a range.
            var order: [Double] = []
            for x in v.missingValues.values.compactMap({ Double($0) }) where !order.contains(x) { order.append(x) }
            for c in v.categories {
                if let x = Double(c.value), !order.contains(x), v.isMissing(x) { order.append(x) }
            }
            for (k, x) in order.enumerated() where k < 26 { tags[x] = CChar(UInt8(ascii: "a") + UInt8(k)) }
            if order.count > 26 {
                warnings.append("\(name): \(order.count) missing codes; Stata has 26 extended missing values, so "
                                + "codes after the 26th are written as .")
            }
        }
        // The narrowest Stata type that holds every valid value exactly (SPSS stores doubles whatever the type).
        var low = Double.infinity, high = -Double.infinity, whole = true, places = 0
        for part in parts {
            for x in part.doubles where !x.isNaN && (format == .sav || !Self.isMissing(x, codes: missingCodes, ranges: missingRanges)) {
                low = min(low, x)
                high = max(high, x)
                if x != x.rounded() {
                    whole = false
                    places = max(places, Self.decimalPlaces(x))
                }
            }
        }
        decimals = places
        if format == .dta && whole && low >= -127 && high <= 100 {
            type = READSTAT_TYPE_INT8
        } else if format == .dta && whole && low >= -32767 && high <= 32740 {
            type = READSTAT_TYPE_INT16
        } else if format == .dta && whole && low >= -2_147_483_647 && high <= 2_147_483_620 {
            type = READSTAT_TYPE_INT32
        } else {
            type = READSTAT_TYPE_DOUBLE
        }
        let magnitude = max(abs(low), abs(high))
        let digits = magnitude.isFinite && magnitude >= 1 ? Int(log10(magnitude)) + 1 : 1
        displayWidth = min(40, max(8, digits + 1 + (places > 0 ? places + 1 : 0)))
        if let v = variable, format == .dta {
            let unusable = v.categories.filter { c in
                guard c.label != nil else { return false }
                if c.value.count == 2, c.value.hasPrefix(".") { return false }
                guard let x = Double(c.value) else { return true }
                return tags[x] == nil && (x != x.rounded() || abs(x) > 2_147_483_620)
            }
            if !unusable.isEmpty {
                warnings.append("\(name): Stata labels whole numbers only; the labels of "
                                + unusable.map(\.value).joined(separator: ", ") + " are not written")
            }
        }
        if let v = variable, format == .sav { planSPSSMissing(v, warnings: &warnings) }
        if case .integer(let v, _) = parts.first?.storage, v.contains(where: { $0.magnitude > 1 << 53 }) {
            warnings.append("\(name): whole numbers beyond 2^53 cannot be held exactly by a .\(format.rawValue) number")
        }
    }

    static func isMissing(_ x: Double, codes: Set<Double>, ranges: [ValueRange]) -> Bool {
        codes.contains(x) || ranges.contains { $0.contains(x) }
    }

    /// Digits after the point needed to show `x` (at most 6).
    static func decimalPlaces(_ x: Double) -> Int {
        var scaled = x
        for d in 1...6 {
            scaled *= 10
            if abs(scaled - scaled.rounded()) < 1e-9 * max(1, abs(scaled)) { return d }
        }
        return 6
    }

    /// Declares the variable, its label, value labels and missing values.
    func declare(in writer: UnsafeMutablePointer<readstat_writer_t>, format: StatFileWriter.Format) throws -> UnsafeMutablePointer<readstat_variable_t> {
        guard let handle = readstat_add_variable(writer, name, type, width) else {
            throw StatFileWriteError("ReadStat could not add the variable", variable: name, format: format)
        }
        let h = handle
        if let label = variable?.label {
            readstat_variable_set_label(handle, StatFileWriter.prefix(label, bytes: format == .dta ? 80 : 255))
        }
        if format == .sav {
            readstat_variable_set_format(handle, isText ? "A\(width)" : "F\(displayWidth).\(decimals)")
            readstat_variable_set_measure(handle, measure)
        }
        guard let variable else { return h }
        if format == .sav {
            try declareSPSSMissing(handle)
        }
        let labelled = variable.categories.filter { $0.label != nil }
        guard !labelled.isEmpty else { return h }
        if isText {
            guard format == .sav else { return h }  // Stata has no value labels on text; warned by the caller.
            let set = readstat_add_label_set(writer, READSTAT_TYPE_STRING, name)
            for c in labelled { readstat_label_string_value(set, c.value, StatFileWriter.prefix(c.label!, bytes: 120)) }
            readstat_variable_set_label_set(handle, set)
            return h
        }
        let set = readstat_add_label_set(writer, format == .dta ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, name)
        for c in labelled {
            let label = c.label!
            if format == .sav {
                guard let x = Double(c.value) else { continue }
                readstat_label_double_value(set, x, StatFileWriter.prefix(label, bytes: 120))
                continue
            }
            if c.value.count == 2, c.value.hasPrefix("."), let tag = c.value.utf8.last, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(tag) {
                readstat_label_tagged_value(set, CChar(tag), label)
            } else if let x = Double(c.value), let tag = tags[x] {
                readstat_label_tagged_value(set, tag, label)
            } else if let x = Double(c.value), x == x.rounded(), abs(x) <= 2_147_483_620 {
                readstat_label_int32_value(set, Int32(x), label)
            }
        }
        readstat_variable_set_label_set(handle, set)
        return h
    }

    var measure: readstat_measure_t {
        switch variable?.nature {
        case "nominal": return READSTAT_MEASURE_NOMINAL
        case "ordinal": return READSTAT_MEASURE_ORDINAL
        case "interval", "ratio": return READSTAT_MEASURE_SCALE
        default:
            if isText || !(variable?.categories.isEmpty ?? true) { return READSTAT_MEASURE_NOMINAL }
            return READSTAT_MEASURE_SCALE
        }
    }

    /// The SPSS declaration of `v`'s numeric missing codes: its first range and one value outside it, or up to
    /// three values; more values become one range over them when no valid labelled value lies inside.
    mutating func planSPSSMissing(_ v: Variable, warnings: inout [String]) {
        var codes: [Double] = []
        for x in v.missingValues.values.compactMap({ Double($0) }) where !codes.contains(x) { codes.append(x) }
        let ranges = v.missingValues.ranges
        codes.removeAll { x in ranges.contains { $0.contains(x) } }
        var dropped: [String] = []
        if let r = ranges.first {
            spssRange = (r.min ?? -Double.greatestFiniteMagnitude, r.max ?? Double.greatestFiniteMagnitude)
            spssValues = Array(codes.prefix(1))
            dropped = ranges.dropFirst().map { "\($0.min ?? -.infinity)..\($0.max ?? .infinity)" }
                + codes.dropFirst().map { StatCodebookBuilder.number($0) }
        } else if codes.count <= 3 {
            spssValues = codes
        } else {
            let lo = codes.min()!, hi = codes.max()!
            let inside = v.categories.contains { c in
                guard let x = Double(c.value) else { return false }
                return x >= lo && x <= hi && !codes.contains(x)
            }
            if inside {
                spssValues = Array(codes.prefix(3))
                dropped = codes.dropFirst(3).map { StatCodebookBuilder.number($0) }
            } else {
                spssRange = (lo, hi)
            }
        }
        if !dropped.isEmpty {
            warnings.append("\(name): SPSS declares three missing values, or one range and one value; "
                            + dropped.joined(separator: ", ") + " not declared")
        }
    }

    func declareSPSSMissing(_ handle: UnsafeMutablePointer<readstat_variable_t>) throws {
        guard let v = variable else { return }
        if isText {
            for s in v.missingValues.values.prefix(3) where s.utf8.count <= 8 {
                readstat_variable_add_missing_string_value(handle, s)
            }
            return
        }
        if let (lo, hi) = spssRange { readstat_variable_add_missing_double_range(handle, lo, hi) }
        for x in spssValues { readstat_variable_add_missing_double_value(handle, x) }
    }

    /// Writes the value at `row`.
    func insert(_ column: Column, row: Int, writer: UnsafeMutablePointer<readstat_writer_t>, handle: UnsafeMutablePointer<readstat_variable_t>)
        -> readstat_error_t
    {
        let h = UnsafePointer(handle)
        if isText {
            guard let s = column.text(at: row) else { return readstat_insert_missing_value(writer, h) }
            return readstat_insert_string_value(writer, h, s)
        }
        guard let x = column.double(at: row) else { return readstat_insert_missing_value(writer, h) }
        if format == .dta, Self.isMissing(x, codes: missingCodes, ranges: missingRanges) {
            if let tag = tags[x] { return readstat_insert_tagged_missing_value(writer, h, tag) }
            return readstat_insert_missing_value(writer, h)
        }
        switch type {
        case READSTAT_TYPE_INT8: return readstat_insert_int8_value(writer, h, Int8(x))
        case READSTAT_TYPE_INT16: return readstat_insert_int16_value(writer, h, Int16(x))
        case READSTAT_TYPE_INT32: return readstat_insert_int32_value(writer, h, Int32(x))
        default: return readstat_insert_double_value(writer, h, x)
        }
    }
}

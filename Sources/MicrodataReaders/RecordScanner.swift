import Foundation

/// Splits delimited records (RFC 4180 quoting) out of a ``ByteInput`` without copying fields.
///
/// The field bounds of the last record are kept in buffers the scanner owns and reuses, so scanning a
/// record allocates nothing and does no reference counting.
final class RecordScanner {
    let delimiter: UInt8
    /// Fields in the last record scanned.
    private(set) var count = 0
    /// Field `k < count` of the last record is `starts[k]..<ends[k]` of the input window.
    private(set) var starts: UnsafeMutablePointer<Int>
    private(set) var ends: UnsafeMutablePointer<Int>
    /// Whether a field was quoted and held doubled quotes that must be collapsed.
    private(set) var escaped: UnsafeMutablePointer<Bool>
    private var capacity: Int
    /// Physical lines the last record spanned.
    private(set) var linesSpanned = 0

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        capacity = 64
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        escaped = .allocate(capacity: capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        escaped.deallocate()
    }

    enum Outcome {
        case record(next: Int)
        case needMore
        case malformed(String, field: Int)
    }

    /// Doubles the field buffers, keeping the first `n` fields.
    private func grow(keeping n: Int) {
        let newCapacity = capacity * 2
        starts = starts.reallocated(keeping: n, capacity: newCapacity)
        ends = ends.reallocated(keeping: n, capacity: newCapacity)
        escaped = escaped.reallocated(keeping: n, capacity: newCapacity)
        capacity = newCapacity
    }

    /// Scans one record starting at `pos`.
    func scan(_ p: UnsafeMutablePointer<UInt8>, _ pos: Int, _ end: Int, atEOF: Bool) -> Outcome {
        let delimiter = self.delimiter
        var n = 0
        var lines = 1
        defer {
            count = n
            linesSpanned = lines
        }
        var starts = self.starts
        var ends = self.ends
        var escaped = self.escaped
        var capacity = self.capacity
        var i = pos
        while true {
            if n == capacity {
                grow(keeping: n)
                starts = self.starts
                ends = self.ends
                escaped = self.escaped
                capacity = self.capacity
            }
            // One field.
            if i < end && p[i] == UInt8(ascii: "\"") {
                var j = i + 1
                var doubled = false
                while true {
                    guard j < end else {
                        if atEOF { return .malformed("unclosed quote", field: n + 1) }
                        return .needMore
                    }
                    let c = p[j]
                    if c == UInt8(ascii: "\"") {
                        if j + 1 < end && p[j + 1] == UInt8(ascii: "\"") {
                            doubled = true
                            j += 2
                            continue
                        }
                        if j + 1 == end && !atEOF { return .needMore }
                        break
                    }
                    if c == 0x0A { lines += 1 }
                    j += 1
                }
                starts[n] = i + 1
                ends[n] = j
                escaped[n] = doubled
                n += 1
                i = j + 1
                if i < end && p[i] == 0x0D {
                    if i + 1 == end && !atEOF { return .needMore }
                    if i + 1 == end || p[i + 1] == 0x0A { i += 1 }
                }
                if i < end && p[i] != delimiter && p[i] != 0x0A {
                    return .malformed("text after a closing quote", field: n)
                }
            } else {
                let fieldStart = i
                while i < end && p[i] != delimiter && p[i] != 0x0A { i += 1 }
                var fieldEnd = i
                if i == end && !atEOF { return .needMore }
                if fieldEnd > fieldStart && p[fieldEnd - 1] == 0x0D && (i == end || p[i] == 0x0A) { fieldEnd -= 1 }
                starts[n] = fieldStart
                ends[n] = fieldEnd
                escaped[n] = false
                n += 1
            }
            if i >= end { return .record(next: end) }
            if p[i] == 0x0A { return .record(next: i + 1) }
            i += 1  // delimiter
            if i == end && !atEOF { return .needMore }
        }
    }

    /// Whether ``scanQuoteFree(_:_:_:atEOF:)`` may split records with this delimiter.
    var splitsQuoteFree: Bool {
        delimiter != UInt8(ascii: "\"") && delimiter != 0x0A && delimiter != 0x0D
    }

    /// ``scan(_:_:_:atEOF:)`` for input known to hold no quote byte (requires ``splitsQuoteFree``): the same
    /// fields and outcome, found eight bytes at a time.
    func scanQuoteFree(_ p: UnsafeMutablePointer<UInt8>, _ pos: Int, _ end: Int, atEOF: Bool) -> Outcome {
        let stopWords = (KindInference.ones &* UInt64(delimiter), KindInference.ones &* 0x0A)
        var n = 0
        var start = pos
        var i = pos
        linesSpanned = 1
        while true {
            if n + 8 >= capacity { grow(keeping: n) }
            let starts = self.starts
            let ends = self.ends
            let escaped = self.escaped
            // Eight bytes at a time while a whole word is left, then byte by byte; at most 8 fields per word,
            // so the buffers have room for the word's fields.
            var stops: UInt64
            if i + 8 <= end {
                stops = KindInference.stops(KindInference.word(p, i), stopWords)
            } else if i < end {
                stops = 0
                for k in 0..<(end - i) where p[i + k] == delimiter || p[i + k] == 0x0A { stops |= 0x80 << UInt64(k * 8) }
            } else {
                break
            }
            while stops != 0 {
                let k = i + (stops.trailingZeroBitCount >> 3)
                stops &= stops &- 1
                starts[n] = start
                escaped[n] = false
                if p[k] == 0x0A {
                    ends[n] = k > start && p[k - 1] == 0x0D ? k - 1 : k
                    count = n + 1
                    return .record(next: k + 1)
                }
                ends[n] = k
                n += 1
                start = k + 1
            }
            i = min(i + 8, end)
        }
        // The data ends inside the last field.
        if !atEOF {
            count = n
            return .needMore
        }
        if n == capacity { grow(keeping: n) }
        starts[n] = start
        ends[n] = end > start && p[end - 1] == 0x0D ? end - 1 : end
        escaped[n] = false
        count = n + 1
        return .record(next: end)
    }

    /// The text of field `k`, with doubled quotes collapsed; `nil` when it is not valid UTF-8.
    func text(_ p: UnsafeMutablePointer<UInt8>, _ k: Int, encoding: TextEncoding) -> String? {
        guard let s = encoding.decodeChecked(p, starts[k], ends[k]) else { return nil }
        return escaped[k] ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }
}

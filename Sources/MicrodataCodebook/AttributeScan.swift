/// Counts the attributes of each start tag in raw XML bytes, ahead of libxml2: libxml2 2.9 checks an element's
/// attributes for duplicates pairwise, so one element with 200,000 attributes takes minutes to parse before any
/// cap could see it. Counts `=` outside quoted values in a start tag; zero bytes are skipped so UTF-16 text scans
/// too. Comments and processing instructions are skipped up to the next `>`.
struct AttributeScan {
    private enum State { case text, open, tag, quoted(UInt8), other }
    private var state = State.text
    private var count = 0
    /// The 1-based line the scan has reached.
    private(set) var line = 1
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Scans the next bytes; returns the attribute count of the first start tag found with more than `limit`.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Int? {
        for b in bytes {
            if b == 0x0A { line += 1 }
            switch state {
            case .text:
                if b == 0x3C { state = .open }  // <
            case .open:
                if b == 0 { continue }
                if b == 0x21 || b == 0x3F || b == 0x2F {  // ! ? /
                    state = .other
                } else {
                    count = 0
                    state = .tag
                }
            case .tag:
                if b == 0x3D {  // =
                    count += 1
                    if count > limit { return count }
                } else if b == 0x22 || b == 0x27 {
                    state = .quoted(b)
                } else if b == 0x3E {
                    state = .text
                }
            case .quoted(let quote):
                if b == quote { state = .tag }
            case .other:
                if b == 0x3E { state = .text }
            }
        }
        return nil
    }
}

import Testing

@testable import MicrodataReaders

/// The delimited reader's fast number parse gives exactly what parseNumber gives.
@Suite struct DelimitedNumberTests {
    func same(_ x: ParsedNumber, _ y: ParsedNumber) -> Bool {
        switch (x, y) {
        case (.missing, .missing), (.invalid, .invalid): true
        case (.integer(let a), .integer(let b)): a == b
        case (.real(let a), .real(let b)): a.bitPattern == b.bitPattern  // -0.0 is not 0.0
        default: false
        }
    }

    func check(_ field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(field.utf8) + [0]
        bytes.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            let fast = parseDelimitedNumber(p, 0, b.count - 1)
            let reference = parseNumber(p, 0, b.count - 1, decimals: 0)
            #expect(same(fast, reference), "\(field.debugDescription): \(fast) vs \(reference)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func trickyFields() {
        for field in ["", "0", "-0", "+0", "-0.0", "0.000", "42", "-42", "+5", "1.", ".5", "-.5", "1.2.3", ".", "-",
                      "1e5", "NA", " 7", "7 ", "\t-7\r", "999999999999999", "9999999999999999", "-999999999999999",
                      "99999999.9999999", "9999999.99999999", "0.123456789012345", "0000000000000000001",
                      "123456789012345678", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                      "12345678901234567890.5", "0.1", "0.3", "2.675", "1.005", "-1.5e", "1-", "--1"]
        {
            check(field)
        }
    }

    @Test func randomFields() {
        let alphabet = Array("0123456789000.-+ e")
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<20000 {
            var field = ""
            for _ in 0..<(next() % 20) { field.append(alphabet[next() % (next() % 3 == 0 ? alphabet.count : 14)]) }
            check(field)
        }
    }
}

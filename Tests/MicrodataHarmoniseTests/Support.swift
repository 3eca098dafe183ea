import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport

/// The shipped crosswalk folder, loaded once for all tests.
enum Shipped {
    static let folder = Fixtures.codebook("crosswalks")
    static let registry: CrosswalkRegistry = try! CrosswalkRegistry(folders: [folder])
}

/// A text column.
func textColumn(_ name: String, _ values: [String?]) -> Column { Column(name: name, storage: .text(values)) }

/// An integer column (nil = missing).
func intColumn(_ name: String, _ values: [Int64?]) -> Column {
    Column(name: name, storage: .integer(values.map { $0 ?? 0 }, missing: values.map { $0 == nil }))
}

func realColumn(_ name: String, _ values: [Double]) -> Column { Column(name: name, storage: .real(values)) }

extension Batch {
    func texts(_ name: String) -> [String?] {
        guard let c = column(named: name) else { return [] }
        return (0..<rowCount).map { c.text(at: $0) }
    }
    func reals(_ name: String) -> [Double] { column(named: name)?.doubles ?? [] }
}

/// A Neumaier-compensated sum, as the audit computes weight totals.
func compensatedSum(_ values: [Double]) -> Double {
    var sum = 0.0, c = 0.0
    for v in values {
        let t = sum + v
        c += abs(sum) >= abs(v) ? (sum - t) + v : (v - t) + sum
        sum = t
    }
    return sum + c
}

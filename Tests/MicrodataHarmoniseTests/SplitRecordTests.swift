import Foundation
import MicrodataHarmonise
import MicrodataReaders
import Testing

/// Split mode splits every weight column and numbers the source records (issue 24 item 9).
@Suite struct SplitRecordTests {
    func batch(_ soc: [Int64?]) -> Batch {
        let n = soc.count
        return Batch(
            columns: [
                intColumn("SOC10M", soc),
                realColumn("PWT", (0..<n).map { 10.5 + Double($0) }),
                realColumn("R1", (0..<n).map { 5.25 * Double($0 + 1) }),
                realColumn("R2", (0..<n).map { 0.1 + Double($0) }),
                realColumn("OTHER", (0..<n).map { 7 + Double($0) }),
            ], rowCount: n)
    }

    /// A split SOC2010 → SOC2020 mapping weighted by PWT with replicate weights matching `replicates`.
    func splitter(replicates: String) throws -> Harmoniser {
        var options = HarmoniseOptions(weightVariable: "PWT")
        options.replicateWeightPattern = replicates
        return try Harmoniser(
            registry: Shipped.registry, maps: [MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .split)],
            options: options)
    }

    @Test func replicateWeightsAreSplitAndRowsKeepTheirRecordNumber() throws {
        var h = try splitter(replicates: "^R[0-9]+$")
        let first = try h.apply(batch([2136, 1115]))
        let second = try h.apply(batch([1115, 2136]))
        // 2136 → 3 rows, 1115 → 1; numbering continues across batches.
        #expect(first.texts(HarmoniseOptions.recordColumn) == ["1", "1", "1", "2"])
        #expect(second.texts(HarmoniseOptions.recordColumn) == ["3", "4", "4", "4"])
        let shares = first.reals("SOC10M_SOC2020_share")
        for (name, total) in [("PWT", 10.5), ("R1", 5.25), ("R2", 0.1)] {
            let pieces = Array(first.reals(name).prefix(3))
            #expect(pieces.reduce(0, +) == total, "\(name)")
            for (p, s) in zip(pieces, shares) { #expect(abs(p - total * s) < 1e-12, "\(name)") }
        }
        // A column that is not a weight is copied, not split.
        #expect(first.reals("OTHER") == [7, 7, 7, 8])
    }

    @Test func aReplicatePatternNamingNoColumnIsAnError() throws {
        var h = try splitter(replicates: "^REP")
        #expect(throws: HarmoniseError.self) { _ = try h.apply(batch([2136])) }
    }
}

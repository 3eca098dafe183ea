import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// A delimited file parsed in chunks on several threads gives the same estimates as on one thread: bit for bit
/// between any numbers of workers (the chunks, and so the batches, do not depend on them), bit for bit against
/// the one-stream reader for designs with PSUs (their sums are added row by row in file order), and within
/// 1e-12 for designs without PSUs (their central moments are merged per batch, and the batches differ).
struct ParallelParsingTests {
    /// 24,000 rows (about 900 KB): 20 strata × 10 PSUs, weights, y with large mean, 8 × 8 origin by dest, 30 domains.
    static let file: URL = {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var text = "stratum,psu,fpc,w,y,origin,dest,dom\n"
        for i in 0..<24_000 {
            let s = Int(next() * 20) + 1
            let psu = (s - 1) * 10 + Int(next() * 10) + 1
            let origin = Int(next() * 8) + 1
            let dest = min(8, max(1, origin + Int(next() * 5) - 2))
            let y = i % 97 == 3 ? "" : String(format: "%.3f", 1e6 + 50 * next())
            text += "\(s),\(psu),40,\(String(format: "%.3f", 50 + 100 * next())),\(y),\(origin),\(dest),\(Int(next() * 30) + 1)\n"
        }
        let url = try! Fixtures.temporaryDirectory().appendingPathComponent("parallel-parsing.csv")
        try! text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }()

    static let psuDesign = SurveyDesign(weight: "w", strata: "stratum", clusters: ["psu"], fpc: ["fpc"])
    static let weightsOnly = SurveyDesign(weight: "w")

    /// The cells of `analysis` by `by`, read with `workers` parsing threads (`nil`: the one-stream reader) in
    /// chunks of 16 KB (about 55 chunks).
    static func cells(_ design: SurveyDesign, _ analysis: Analysis, by: String, workers: Int?) throws -> [CellEstimate] {
        var options = ReadOptions()
        options.parseWorkers = workers
        options.parseChunkBytes = 16 << 10
        options.batchSize = 150
        options.readNumbers(of: design, analyses: [analysis])
        var source = try DataReader.open(data: file, codebook: nil, options: options)
        if workers != nil { #expect(source is ParallelDelimitedSource) }
        let estimates = try SurveyEstimator.estimate(
            design: design, analyses: [analysis], options: EstimationOptions(by: [by]), source: &source)
        #expect(estimates.table.cells.count > 20)
        return estimates.table.cells
    }

    static func bits(_ cells: [CellEstimate]) -> [[UInt64]] {
        cells.map { [$0.estimate.bitPattern, $0.standardError.bitPattern, $0.weightedCount.bitPattern] }
    }

    static let jobs: [(Analysis, String)] = [(Analysis(.mean, ["y"]), "dom"), (Analysis(.proportion, ["dest"]), "origin")]

    @Test("one, two and three parsing workers give bit-identical estimates, with PSUs and with weights only")
    func workersBitIdentical() throws {
        for design in [Self.psuDesign, Self.weightsOnly] {
            for (analysis, by) in Self.jobs {
                let one = try Self.cells(design, analysis, by: by, workers: 1)
                for workers in [2, 3] {
                    let many = try Self.cells(design, analysis, by: by, workers: workers)
                    #expect(Self.bits(many) == Self.bits(one), "\(analysis.kind) by \(by), \(workers) workers")
                    #expect(many.map(\.byValues) == one.map(\.byValues))
                    #expect(many.map(\.unweightedCount) == one.map(\.unweightedCount))
                }
            }
        }
    }

    @Test("chunked parsing equals the one-stream reader: bit for bit with PSUs, within 1e-12 with weights only")
    func chunkedMatchesOneStream() throws {
        for (analysis, by) in Self.jobs {
            let stream = try Self.cells(Self.psuDesign, analysis, by: by, workers: nil)
            let chunked = try Self.cells(Self.psuDesign, analysis, by: by, workers: 2)
            #expect(Self.bits(chunked) == Self.bits(stream))
        }
        for (analysis, by) in Self.jobs {
            let stream = try Self.cells(Self.weightsOnly, analysis, by: by, workers: nil)
            let chunked = try Self.cells(Self.weightsOnly, analysis, by: by, workers: 2)
            #expect(chunked.map(\.byValues) == stream.map(\.byValues))
            for (a, b) in zip(chunked, stream) {
                #expect(abs(a.estimate - b.estimate) <= 1e-12 * abs(b.estimate))
                #expect(abs(a.standardError - b.standardError) <= 1e-12 * abs(b.standardError))
                #expect(a.unweightedCount == b.unweightedCount)
            }
        }
    }
}

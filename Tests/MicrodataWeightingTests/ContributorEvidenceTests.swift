import Testing

@testable import MicrodataWeighting

/// The per-domain contributor evidence kept during the pass for the disclosure rules (issue 21 §3).
struct ContributorEvidenceTests {
    @Test func theLargestWeightedContributionsKeptInThePassAreThoseOfASortOfAllRows() {
        var accumulator = ContributorAccumulator(kept: 3)
        var all: [[Double]] = [[], []]
        var state: UInt64 = 42
        for row in 0..<500 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Double(state >> 40 % 1000) / 7
            let weight = 1 + Double(row % 4) / 2
            accumulator.add(domain: row % 2, value: value, weight: weight)
            all[row % 2].append(value * weight)
        }
        for d in 0..<2 {
            let evidence = accumulator.evidence(d)
            #expect(evidence.top == Array(all[d].sorted(by: >).prefix(3)))
            #expect(abs(evidence.total - all[d].reduce(0, +)) < 1e-6)
            #expect(evidence.nonZero + evidence.zero == 250)
        }
    }

    @Test func anIndicatorCountsItsOnesAndZerosAndAnyOtherValueEndsIt() {
        var accumulator = ContributorAccumulator(kept: 2)
        for v in [1.0, 0, 0, 1, 1] { accumulator.add(domain: 0, value: v, weight: 2) }
        for v in [1.0, 0, 2] { accumulator.add(domain: 1, value: v, weight: 1) }
        let a = accumulator.evidence(0), b = accumulator.evidence(1)
        #expect(a.nonZero == 3 && a.zero == 2 && a.indicator && a.total == 6 && a.top == [2, 2])
        #expect(b.nonZero == 2 && b.zero == 1 && !b.indicator && b.top == [2, 1])
        #expect(accumulator.evidence(7).nonZero == 0)
    }
}

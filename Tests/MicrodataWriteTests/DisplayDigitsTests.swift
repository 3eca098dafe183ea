import Foundation
import Testing

@testable import MicrodataWrite

/// Text and Markdown show rounded numbers (issue 22): an estimate to a few significant figures, its standard
/// error and interval at the same decimal places; labels, markers and counts as written.
struct DisplayDigitsTests {
    static let header = ["region", "statistic", "estimate", "se", "ci_low", "ci_high", "deff", "df", "n", "weighted_n", "status"]

    @Test func decimalPlacesGiveTheAskedSignificantFigures() {
        let four = DisplayDigits.standard
        #expect(four.decimals(for: 0.123456) == 4)
        #expect(four.decimals(for: 0.000123456) == 7)
        #expect(four.decimals(for: 1) == 3)
        #expect(four.decimals(for: 10) == 2)
        #expect(four.decimals(for: 1000) == 0)
        #expect(four.decimals(for: 12345.678) == 0)  // whole digits are never rounded away
        #expect(four.decimals(for: 0) == 0)
        #expect(four.decimals(for: .nan) == 0)
        #expect(DisplayDigits(2).decimals(for: 0.5) == 2)  // 0.50
        #expect(DisplayDigits(0).significant == 1)
    }

    @Test func anEstimateAndItsUncertaintyShareOnePrecision() {
        let row = ["North", "mean", "0.12345678901234567", "0.0034567890123", "0.1165", "0.13041234567", "1.23456789",
                   "97", "120", "4567.891234", "safe"]
        let shown = DisplayDigits.standard.rounded(header: Self.header, rows: [row])[0]
        #expect(shown == ["North", "mean", "0.1235", "0.0035", "0.1165", "0.1304", "1.235", "97", "120", "4568", "safe"])
        let two = DisplayDigits(2).rounded(header: Self.header, rows: [row])[0]
        #expect(two[2...5] == ["0.12", "0.00", "0.12", "0.13"])
    }

    @Test func aLargeStandardErrorSetsThePrecisionOfASmallEstimate() {
        let row = ["A", "mean", "1.2345e-10", "0.5123456", "-0.98765", "1.0123", "", "9.5", "12", "12", "safe"]
        let shown = DisplayDigits.standard.rounded(header: Self.header, rows: [row])[0]
        #expect(shown[2...5] == ["0.0000", "0.5123", "-0.9877", "1.0123"])
        #expect(shown[7] == "9.500")  // a fractional df, on its own
    }

    @Test func aWholeEstimateWithAFractionalStandardErrorIsShownToMatch() {
        let row = ["A", "total", "100", "2.345678", "95", "105", "", "9", "12", "100", "safe"]
        let shown = DisplayDigits.standard.rounded(header: Self.header, rows: [row])[0]
        #expect(shown[2...5] == ["100.0", "2.3", "95.0", "105.0"])
    }

    @Test func markersLabelsAndNegativeZeroAreNotNumbersToRound() {
        let suppressed = ["1.5", "mean", "[c]", "[c]", "[c]", "[c]", "[c]", "[c]", "[c]", "[c]", "primary:threshold"]
        #expect(DisplayDigits.standard.rounded(header: Self.header, rows: [suppressed])[0] == suppressed)
        let tiny = ["A", "mean", "-0.0000001", "0.5", "", "", "", "NA", "3", "3", "safe"]
        #expect(DisplayDigits.standard.rounded(header: Self.header, rows: [tiny])[0][2...3] == ["0.0000", "0.5000"])
        #expect(DisplayDigits.text(.infinity, decimals: 2) == "Inf" && DisplayDigits.text(-.infinity, decimals: 2) == "-Inf")
        #expect(DisplayDigits.text(2.5, decimals: 0) == "2" || DisplayDigits.text(2.5, decimals: 0) == "3")
    }

    @Test func modelColumnsRoundTheExponentiatedEstimateWithItsInterval() {
        let header = ["term", "estimate", "se", "t", "p", "ci_low", "ci_high", "df", "exp_estimate", "exp_ci_low", "exp_ci_high"]
        let row = ["x", "0.693147180559945", "0.1234567", "5.614", "0.0000123456789", "0.451", "0.935", "38",
                   "2.0000000000000004", "1.5699", "2.547"]
        let shown = DisplayDigits.standard.rounded(header: header, rows: [row])[0]
        #expect(shown == ["x", "0.6931", "0.1235", "5.614", "1.235e-05", "0.4510", "0.9350", "38", "2.000", "1.570", "2.547"])
        #expect(DisplayDigits.standard.text(6.653263524491182e-13) == "6.653e-13")
    }
}

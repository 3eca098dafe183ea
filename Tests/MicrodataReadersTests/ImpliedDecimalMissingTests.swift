import Foundation
import MicrodataCodebook
import MicrodataReaders
import Testing

/// Missing codes on fixed-width fields with implied decimals: a code or bound written without a `.` is in
/// stored units (the raw field), one written with a `.` is in the units the value is read in.
@Suite struct ImpliedDecimalMissingTests {
    /// INC: dcml 2, invalrng item 99999, missing catgry 99998, range -9..-1 (all stored units).
    /// NADA: dcml 3, invalrng item 9999.999 and range 9000.5..9000.75 (written scaled).
    static let xml = """
        <codeBook xmlns="ddi:codebook:2_5">
          <fileDscr ID="F1"><fileTxt><fileName>t.dat</fileName></fileTxt></fileDscr>
          <dataDscr>
            <var name="INC" files="F1" dcml="2"><location StartPos="1" EndPos="6"/>
              <invalrng><item VALUE="99999"/><range min="-9" max="-1"/></invalrng>
              <catgry missing="Y"><catValu>99998</catValu><labl>Refused</labl></catgry>
              <varFormat type="numeric"/></var>
            <var name="NADA" files="F1" dcml="3"><location StartPos="7" EndPos="14"/>
              <invalrng><item VALUE="9999.999"/><range min="9000.5" max="9000.75"/></invalrng>
              <varFormat type="numeric"/></var>
          </dataDscr>
        </codeBook>
        """

    static func codebook() throws -> Codebook {
        try DDIParser(knownWeightNames: []).parse(data: Data(xml.utf8), source: "implied-decimals")
    }

    /// Rows: stored-unit codes as raw fields; a valid value; explicit points read as written.
    static let data = """
         99999 9999999
         99998 9000600
            -5 1234567
         12345 9000800
        999.999999.999
         -0.05 9000.70
            -9 9000500

        """

    @Test func parserKeepsWhetherRangeBoundsWereWrittenScaled() throws {
        let book = try Self.codebook()
        let inc = try #require(book.variable(named: "INC"))
        #expect(inc.missingValues.values == ["99999", "99998"])
        #expect(inc.missingValues.ranges == [ValueRange(min: -9, max: -1)])
        let nada = try #require(book.variable(named: "NADA"))
        #expect(nada.missingValues.ranges == [ValueRange(min: 9000.5, max: 9000.75, minIsScaled: true,
                                                         maxIsScaled: true)])
    }

    @Test func storedUnitCodesMatchTheRawFieldOfAnImpliedDecimalColumn() throws {
        let r = try readAll(try temporaryFile(Self.data, name: "t.dat"), try Self.codebook())
        // 99999, 99998 and -5 are the raw codes; 12345 is 123.45. The field 999.99 is read as written and the
        // stored-unit code 99999 does not apply to it; -0.05 lies outside -9..-1; the raw -9 is the range bound.
        #expect(r.doubles("INC") == [nil, nil, nil, 123.45, 999.99, -0.05, nil])
        #expect(r.statistics.missingByRule["INC"] == 4)
    }

    @Test func scaledCodesMatchTheValueAsRead() throws {
        let r = try readAll(try temporaryFile(Self.data, name: "t.dat"), try Self.codebook())
        // 9999999 with dcml 3 is 9999.999 (the item), 9000600 is 9000.6 (in the range), 9000800 is 9000.8
        // (above it); the explicit 9999.999 and 9000.70 match as written; 9000500 is the bound 9000.5.
        #expect(r.doubles("NADA") == [nil, nil, 1234.567, 9000.8, nil, nil, nil])
        #expect(r.statistics.missingByRule["NADA"] == 5)
    }

    @Test func rawMissingKeepsTheCodesAsScaledValues() throws {
        let r = try readAll(try temporaryFile(Self.data, name: "t.dat"), try Self.codebook(),
                            ReadOptions(keepRawMissing: true))
        #expect(r.doubles("INC") == [999.99, 999.98, -0.05, 123.45, 999.99, -0.05, -0.09])
        #expect(r.doubles("NADA") == [9999.999, 9000.6, 1234.567, 9000.8, 9999.999, 9000.7, 9000.5])
        #expect(r.statistics.missingByRule.isEmpty)
    }

    @Test func codesWithoutAPointMatchExplicitPointDataAtFaceValue() throws {
        // Nesstar style: dcml is display decimals, the data carry the point, and the code 99 means 99.00.
        let codebook = Codebook(variables: [
            Variable(name: "W", start: 1, end: 6, width: 6, decimals: 2, type: .numeric,
                     missingValues: MissingValues(values: ["99"], ranges: [ValueRange(min: -9, max: -1)]))
        ])
        let r = try readAll(try temporaryFile(" 99.00\n  1.50\n -5.00\n  0.99\n"), codebook)
        #expect(r.doubles("W") == [nil, 1.5, nil, 0.99])
    }

    @Test func writerKeepsScaledBoundsScaled() throws {
        var v = Variable(name: "X", start: 1, end: 4, width: 4, decimals: 1, type: .numeric)
        v.missingValues = MissingValues(ranges: [ValueRange(min: 999, max: nil, minIsScaled: true)])
        let xml = DDIWriter().write(Codebook(variables: [v]))
        let back = try DDIParser(knownWeightNames: []).parse(data: Data(xml.utf8), source: "round-trip")
        #expect(back.variables.first?.missingValues.ranges == [ValueRange(min: 999, max: nil, minIsScaled: true)])
    }
}

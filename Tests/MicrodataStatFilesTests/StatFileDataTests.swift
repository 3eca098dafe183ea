import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Reads all batches of a source into one list of columns (concatenated).
func readAll(_ source: inout any BatchSource) throws -> (columns: [String: Column], rows: Int, batches: [Int]) {
    var merged: [String: Column] = [:]
    var order: [String] = []
    var rows = 0
    var sizes: [Int] = []
    while let batch = try source.nextBatch() {
        sizes.append(batch.rowCount)
        rows += batch.rowCount
        for column in batch.columns {
            if merged[column.name] == nil {
                merged[column.name] = column
                order.append(column.name)
                continue
            }
            var existing = merged[column.name]!
            switch (existing.storage, column.storage) {
            case (.real(let a), .real(let b)): existing.storage = .real(a + b)
            case (.text(let a), .text(let b)): existing.storage = .text(a + b)
            case (.integer(let a, let ma), .integer(let b, let mb)):
                existing.storage = .integer(a + b, missing: ma + mb)
            default: Issue.record("column \(column.name) changed storage between batches")
            }
            merged[column.name] = existing
        }
    }
    return (merged, rows, sizes)
}

func values(_ c: Column?) -> [Double?] { c.map { col in (0..<col.count).map { col.double(at: $0) } } ?? [] }
func texts(_ c: Column?) -> [String?] { c.map { col in (0..<col.count).map { col.text(at: $0) } } ?? [] }

@Suite struct StatFileDataTests {
    let sav = Fixtures.url("statfiles/survey.sav")
    let dta = Fixtures.url("statfiles/survey.dta")

    @Test func spssRowsWithUserMissingAsMissing() throws {
        var source = try StatFile.open(sav)
        let (columns, rows, _) = try readAll(&source)
        #expect(rows == 10)
        #expect(values(columns["ID"]) == (1...10).map { Double($0) })
        #expect(values(columns["SEX"]) == [1, 2, 2, 1, nil, 2, 1, 2, 1, nil])
        #expect(values(columns["AGE"]) == [34, 71, nil, 16, 45, nil, 88, 29, 52, 63])
        #expect(values(columns["INCOME"]) == [25000.5, 12000, nil, 48000.25, nil, 31000, nil, 56000.75, 22000, 15500.5])
        #expect(texts(columns["NAME"]) == ["Siân", "Zoë", "O'Brien & Sons", "<tag>", nil, "Ffion", "Seán", "Łukasz",
                                           "Ann \"Nan\"", nil])
        let comment = try #require(texts(columns["COMMENT"]).first ?? nil)
        #expect(comment.utf8.count == 300)
        #expect(comment.hasPrefix("Long comment: abcdefghij") && comment.hasSuffix("abcdef"))
        #expect(texts(columns["COMMENT"])[6] == "café")
        let stats = source.statistics
        #expect(stats.rows == 10)
        #expect(stats.missingByRule == ["SEX": 1, "AGE": 2, "INCOME": 2, "NAME": 1])
    }

    @Test func keepRawMissingKeepsTheCodes() throws {
        var source = try StatFile.open(sav, options: ReadOptions(keepRawMissing: true))
        let (columns, _, _) = try readAll(&source)
        #expect(values(columns["SEX"]) == [1, 2, 2, 1, -9, 2, 1, 2, 1, nil])
        #expect(values(columns["INCOME"])[2] == 999999)
        #expect(values(columns["INCOME"])[4] == -8)
        #expect(texts(columns["NAME"])[9] == "XX")
    }

    @Test func columnSelectionInTheOrderAsked() throws {
        var source = try StatFile.open(sav, options: ReadOptions(variables: ["income", "ID"]))
        let batch = try #require(try source.nextBatch())
        #expect(batch.columns.map(\.name) == ["INCOME", "ID"])
        #expect(batch.rowCount == 10)
        #expect(batch.column(named: "id")?.double(at: 9) == 10)
        #expect(try source.nextBatch() == nil)
    }

    @Test func batchesOfTheConfiguredSize() throws {
        var source = try StatFile.open(sav, options: ReadOptions(variables: ["ID", "NAME"], batchSize: 3))
        let (columns, rows, sizes) = try readAll(&source)
        #expect(sizes == [3, 3, 3, 1])
        #expect(rows == 10)
        #expect(values(columns["ID"]) == (1...10).map { Double($0) })
        #expect(texts(columns["NAME"])[7] == "Łukasz")
    }

    @Test func rowLimit() throws {
        var source = try StatFile.open(sav, options: ReadOptions(variables: ["AGE"], limit: 4))
        let (columns, rows, _) = try readAll(&source)
        #expect(rows == 4)
        #expect(values(columns["AGE"]) == [34, 71, nil, 16])
        #expect(source.statistics.stoppedAtLimit)
    }

    @Test func abandoningAReadDoesNotHang() throws {
        for _ in 0..<3 {
            var source = try StatFile.open(sav, options: ReadOptions(batchSize: 2))
            let first = try #require(try source.nextBatch())
            #expect(first.rowCount == 2)
        }
    }

    @Test func zsavRowsEqualSavRows() throws {
        var a = try StatFile.open(sav)
        var b = try StatFile.open(Fixtures.url("statfiles/survey.zsav"))
        let (ca, _, _) = try readAll(&a)
        let (cb, _, _) = try readAll(&b)
        for name in ["ID", "PWT", "SEX", "AGE", "INCOME", "REGION"] { #expect(values(ca[name]) == values(cb[name])) }
        for name in ["NAME", "COMMENT"] { #expect(texts(ca[name]) == texts(cb[name])) }
    }

    @Test func everyStataExtendedMissingIsMissingAndReportedByTag() throws {
        var source = try StatFile.open(dta)
        let (columns, rows, _) = try readAll(&source)
        #expect(rows == 10)
        #expect(values(columns["income"]) == [25000.5, 12000, nil, 48000.25, nil, 31000, nil, 56000.75, nil, 15500.5])
        #expect(values(columns["sex"]) == [1, 2, 2, 1, 2, 2, 1, 2, 1, nil])
        #expect(texts(columns["name"])[0] == "Siân")
        #expect(texts(columns["comment"])[0]?.utf8.count == 300)
        // .a, .b and .z are counted; the system missing in row 7 is not.
        #expect(source.statistics.missingByRule == ["income": 3])
        // .z has no value label (the codebook lists only .a and .b) but is missing all the same, and reported.
        #expect(source.statistics.extendedMissing == ["income": [".a": 1, ".b": 1, ".z": 1]])
        #expect(source.statistics.summary.contains("extended missing values (always missing): income .a 1, .b 1, .z 1"))
        let codebook = try StatFile.codebook(dta)
        #expect(codebook.variable(named: "income")?.missingValues.values == [".a", ".b"])
    }

    @Test func latin1StataValuesAreDecoded() throws {
        var source = try StatFile.open(Fixtures.url("statfiles/latin1.dta"))
        let (columns, rows, _) = try readAll(&source)
        #expect(rows == 3)
        #expect(texts(columns["town"]) == ["Bérénice", "Zoë", "Ålesund"])
        #expect(values(columns["id"]) == [1, 2, 3])
        #expect(values(columns["grade"]) == [0, 1, 0])
    }

    @Test func tabTwinReadWithTheSavCodebookEqualsTheSav() throws {
        let codebook = try StatFile.codebook(sav)
        var fromSav = try StatFile.open(sav)
        var fromTab = try DataReader.open(data: Fixtures.url("statfiles/survey.tab"), codebook: codebook)
        let (a, rowsA, _) = try readAll(&fromSav)
        let (b, rowsB, _) = try readAll(&fromTab)
        #expect(rowsA == rowsB)
        for name in ["ID", "PWT", "SEX", "AGE", "INCOME", "REGION"] {
            #expect(values(a[name]) == values(b[name]), "column \(name)")
        }
        for name in ["NAME", "COMMENT"] { #expect(texts(a[name]) == texts(b[name]), "column \(name)") }
    }

    @Test func weightedMeanIsIdenticalFromSavAndTab() throws {
        func weightedMean(_ source: inout any BatchSource) throws -> Double {
            var sum = 0.0
            var weights = 0.0
            while let batch = try source.nextBatch() {
                let x = try #require(batch.column(named: "INCOME"))
                let w = try #require(batch.column(named: "PWT"))
                for i in 0..<batch.rowCount {
                    guard let xi = x.double(at: i), let wi = w.double(at: i) else { continue }
                    sum += xi * wi
                    weights += wi
                }
            }
            return sum / weights
        }
        let codebook = try StatFile.codebook(sav)
        var fromSav = try StatFile.open(sav, options: ReadOptions(variables: ["INCOME", "PWT"]))
        var fromTab = try DataReader.open(
            data: Fixtures.url("statfiles/survey.tab"), codebook: codebook,
            options: ReadOptions(variables: ["INCOME", "PWT"]))
        let a = try weightedMean(&fromSav)
        let b = try weightedMean(&fromTab)
        // Oracle: 263065.4375 / 7.875 over the 7 non-missing incomes (make_fixtures.py values).
        #expect(a == 263065.4375 / 7.875)
        #expect(a == b)
    }
}

import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// The IPUMS fixtures read through their DDI codebooks; every value asserted in docs/ddi.md §6.2.
@Suite struct IPUMSFixtureTests {
    let asecwth: [Double?] = [1475.59, 1475.59, 1475.59, 1597.61, 1706.65]

    @Test func cps00157Rectangular() throws {
        let codebook = try parseDDI("ddi/ipumsr/cps_00157.xml")
        let r = try readAll(Fixtures.url("ddi/ipumsr/cps_00157.dat.gz"), codebook)
        #expect(r.rowCount == 7668)
        #expect(r.names.count == 8)
        #expect(Array(r.names.prefix(3)) == ["YEAR", "SERIAL", "MONTH"])
        #expect(Array(r.doubles("YEAR").prefix(5)) == Array(repeating: 1962, count: 5))
        #expect(Array(r.doubles("ASECWTH").prefix(5)) == asecwth)
        // Value labels stay available from the codebook for every categorical.
        let statefip = try #require(codebook.variable(named: "STATEFIP"))
        #expect(statefip.category(for: "1")?.label == "Alabama")
        #expect(statefip.category(for: "2")?.label == "Alaska")
    }

    @Test func cps00158CSVEqualsFixedWidth() throws {
        let fixed = try readAll(Fixtures.url("ddi/ipumsr/cps_00157.dat.gz"), try parseDDI("ddi/ipumsr/cps_00157.xml"))
        let csv = try readAll(Fixtures.url("ddi/ipumsr/cps_00158.csv.gz"), try parseDDI("ddi/ipumsr/cps_00158.xml"))
        #expect(csv.rowCount == 7668)
        #expect(csv.names == fixed.names)
        for name in fixed.names { #expect(csv.doubles(name) == fixed.doubles(name), "column \(name)") }
        #expect(Array(csv.doubles("ASECWTH").prefix(5)) == asecwth)
    }

    @Test func cps00157Subset() throws {
        let codebook = try parseDDI("ddi/ipumsr/cps_00157.xml")
        let r = try readAll(Fixtures.url("ddi/ipumsr/cps_00157.dat.gz"), codebook,
                            ReadOptions(variables: ["statefip", "YEAR"], limit: 100))
        #expect(r.rowCount == 100)
        #expect(r.names == ["STATEFIP", "YEAR"])
        let csv = try readAll(Fixtures.url("ddi/ipumsr/cps_00158.csv.gz"), try parseDDI("ddi/ipumsr/cps_00158.xml"),
                              ReadOptions(variables: ["YEAR", "SERIAL"], limit: 100))
        #expect(csv.rowCount == 100)
        #expect(csv.names == ["YEAR", "SERIAL"])
    }

    @Test func cps00159Hierarchical() throws {
        let codebook = try parseDDI("ddi/ipumsr/cps_00159.xml")
        let url = Fixtures.url("ddi/ipumsr/cps_00159.dat.gz")
        let long = try readAll(url, codebook)
        #expect(long.rowCount == 11053)
        #expect(long.names.count == 9)
        #expect(long.statistics.rowsByRecordType == ["H": 3385, "P": 7668])
        let list = try readAll(url, codebook, ReadOptions(shape: .perRecordType))
        #expect(list.tables["H"]?.rows == 3385)
        #expect(list.tables["P"]?.rows == 7668)
        #expect(list.tables["H"]?.names == ["RECTYPE", "YEAR", "SERIAL", "MONTH", "ASECWTH", "STATEFIP"])
        #expect(list.tables["P"]?.names == ["RECTYPE", "YEAR", "SERIAL", "PERNUM", "ASECWT", "INCTOT"])
        // One weight per household: the distinct values of the person-level list above.
        #expect(Array(list.doubles("H", "ASECWTH").prefix(3)) == [1475.59, 1597.61, 1706.65])
        #expect(Array(list.doubles("P", "ASECWT").prefix(2)) == [1475.59, 1470.72])
        #expect(Array(list.doubles("P", "INCTOT").prefix(2)) == [4883, 5800])
        // The key variable is carried along.
        let subset = try readAll(url, codebook, ReadOptions(variables: ["STATEFIP", "INCTOT"], shape: .perRecordType))
        #expect(subset.tables["H"]?.names == ["RECTYPE", "SERIAL", "STATEFIP"])
        #expect(subset.tables["P"]?.names == ["RECTYPE", "SERIAL", "INCTOT"])
    }

    @Test func cps00006OldNamespace() throws {
        let codebook = try parseDDI("ddi/ipumspy/cps_00006.xml")
        for file in ["cps_00006.dat.gz", "cps_00006.csv.gz"] {
            let r = try readAll(Fixtures.url("ddi/ipumspy/" + file), codebook)
            #expect(r.rowCount == 7668, "\(file)")
            #expect(r.names.count == 8, "\(file)")
            #expect(Array(r.doubles("YEAR").prefix(5)) == Array(repeating: 1962, count: 5))
            #expect(Array(r.doubles("HWTSUPP").prefix(5)) == asecwth, "\(file)")
            #expect(Array(r.doubles("STATEFIP").prefix(5)) == [55, 55, 55, 27, 27])
        }
        let ones = try readAll(Fixtures.url("ddi/ipumspy/cps_00006.dat.gz"), codebook, ReadOptions(batchSize: 1))
        #expect(ones.rowCount == 7668)
        #expect(ones.batchRowCounts.count == 7668)
    }

    @Test func cps00361FourteenDigitIDs() throws {
        let codebook = try parseDDI("ddi/ipumspy/cps_00361.xml")
        var source = try DataReader.open(data: Fixtures.url("ddi/ipumspy/cps_00361.dat.gz"), codebook: codebook)
        let batch = try #require(try source.nextBatch())
        #expect(batch.rowCount == 2740)
        #expect(batch.columns.count == 12)
        let cpsid = try #require(batch.column(named: "CPSID"))
        guard case .integer(let ids, _) = cpsid.storage else {
            Issue.record("CPSID is not an integer column")
            return
        }
        #expect(ids.contains { $0 >= 10_000_000_000_000 })
        #expect(batch.column(named: "HRSERSUF").map { if case .text = $0.storage { true } else { false } } == true)
    }

    @Test func cps00421Long() throws {
        let codebook = try parseDDI("ddi/ipumspy/cps_00421.xml")
        let url = Fixtures.url("ddi/ipumspy/cps_00421.dat.gz")
        let r = try readAll(url, codebook)
        #expect(r.rowCount == 339_278)
        #expect(r.names.count == 14)
        #expect(Array(r.doubles("YEAR").prefix(5)) == Array(repeating: 2022, count: 5))
        #expect(Array(r.doubles("HWTFINL").prefix(2)) == [0.0, 1662.5757])
        #expect(Array(r.texts("RECTYPE").prefix(5)) == ["H", "H", "P", "P", "P"])
        #expect(Array(r.doubles("PERNUM")[2..<5]) == [1, 2, 3])
        let subset = try readAll(url, codebook, ReadOptions(variables: ["RECTYPE", "MISH", "AGE"]))
        #expect(subset.names.count == 4)
        #expect(subset.names.contains("SERIAL"))
        #expect(Array(subset.doubles("MISH").prefix(2)) == [7, 5])
        #expect(Array(subset.doubles("AGE")[2..<5]) == [36, 41, 5])
        #expect(Array(subset.texts("RECTYPE").prefix(3)) == ["H", "H", "P"])
    }

    @Test func cps00421PerRecordType() throws {
        let codebook = try parseDDI("ddi/ipumspy/cps_00421.xml")
        let r = try readAll(Fixtures.url("ddi/ipumspy/cps_00421.dat.gz"), codebook, ReadOptions(shape: .perRecordType))
        #expect(r.tables["P"]?.rows == 201_993)
        #expect(r.tables["P"]?.names.count == 9)
        #expect(r.tables["H"]?.rows == 137_285)
        #expect(r.tables["H"]?.names.count == 8)
        #expect(Array(r.doubles("P", "WTFINL").prefix(5)) == [1662.5757, 1978.1985, 1801.0842, 1243.6042, 2037.9611])
        #expect(Array(r.doubles("H", "HWTFINL").prefix(5)) == [0.0, 1662.5757, 2037.9611, 2094.5077, 1970.8250])
        #expect(Array(r.doubles("H", "MISH").prefix(5)) == [7, 5, 1, 2, 1])
        #expect(Array(r.doubles("P", "PERNUM").prefix(5)) == [1, 2, 3, 4, 1])
        #expect(Array(r.doubles("P", "AGE").prefix(5)) == [36, 41, 5, 7, 50])
    }

    @Test func atus00035PerRecordType() throws {
        let codebook = try parseDDI("ddi/ipumspy/atus_00035.xml")
        let r = try readAll(Fixtures.url("ddi/ipumspy/atus_00035.dat.gz"), codebook, ReadOptions(shape: .perRecordType))
        #expect(Set(r.tables.keys) == ["1", "2", "3"])
        #expect(r.tables["1"]?.rows == 24_336)
        #expect(r.tables["1"]?.names == ["RECTYPE", "YEAR", "CASEID", "SERIAL", "STATEFIP"])
        #expect(Array(r.doubles("1", "STATEFIP").prefix(5)) == [13, 51, 11, 26, 29])
        #expect(r.tables["2"]?.rows == 24_336)
        #expect(r.tables["2"]?.names.count == 10)
        #expect(Array(r.doubles("2", "WT06").prefix(5))
                == [24588650.161504, 5445941.065425, 8782621.982064, 3035909.94892, 6978586.369092])
        #expect(r.tables["3"]?.rows == 207_213)
        #expect(r.tables["3"]?.names.count == 8)
        #expect(Array(r.doubles("3", "ACTIVITY").prefix(5)) == [10101, 20201, 110101, 20203, 20101])
        #expect(r.texts("1", "CASEID").first == "20160101160045")
    }

    @Test func atus00035Long() throws {
        let codebook = try parseDDI("ddi/ipumspy/atus_00035.xml")
        let r = try readAll(Fixtures.url("ddi/ipumspy/atus_00035.dat.gz"), codebook)
        #expect(r.rowCount == 255_885)
        #expect(r.names.count == 15)
        #expect(Array(r.doubles("RECTYPE").prefix(5)) == [1, 2, 3, 3, 3])
        #expect(Array(r.doubles("STATEFIP").prefix(5)) == [13, nil, nil, nil, nil])
        #expect(Array(r.doubles("ACTLINE").prefix(5)) == [nil, nil, 1, 2, 3])
        #expect(Array(r.texts("START").prefix(5)) == [nil, nil, "04:00:00", "11:00:00", "11:20:00"])
    }

    @Test func atus00034ExplicitDecimalsWithZeroDcml() throws {
        let codebook = try parseDDI("ddi/ipumspy/atus_00034.xml")
        var source = try DataReader.open(data: Fixtures.url("ddi/ipumspy/atus_00034.dat.gz"), codebook: codebook)
        var rows = 0
        var first: Batch?
        while let batch = try source.nextBatch() {
            if first == nil { first = batch }
            rows += batch.rowCount
        }
        #expect(rows == 207_213)
        let batch = try #require(first)
        #expect(batch.columns.count == 13)
        for column in batch.columns {
            switch (column.name, column.storage) {
            case ("WT06", .real), ("START", .text), ("STOP", .text): break
            case ("WT06", _), ("START", _), ("STOP", _): Issue.record("\(column.name) has the wrong storage")
            case (_, .integer): break
            default: Issue.record("\(column.name) should be integer")
            }
        }
        #expect(batch.column(named: "WT06")?.double(at: 0) == 24588650.161504)
    }

    @Test func meps00019() throws {
        let codebook = try parseDDI("ddi/ipumspy/meps_00019.xml")
        let r = try readAll(Fixtures.url("ddi/ipumspy/meps_00019.dat.gz"), codebook)
        #expect(r.rowCount == 103_965)
        #expect(r.names.count == 23)
        #expect(r.doubles("YEAR").first == 2016)
        #expect(Array(r.doubles("SAQWEIGHT").prefix(5)) == [14398.747070, 14398.747070, 14398.747070, 13439.433593, 13439.433593])
    }
}

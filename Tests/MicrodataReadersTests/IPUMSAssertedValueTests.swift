import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// More values of docs/ddi.md §6.2: uncompressed reads, codebook attributes of the sibling extracts,
/// chunked reads, exact IDs, storage types and record-type keys.
@Suite struct IPUMSAssertedValueTests {
    let asecwth: [Double?] = [1475.59, 1475.59, 1475.59, 1597.61, 1706.65]

    /// Decompresses a fixture into a fresh temporary file named without `.gz`.
    func gunzipped(_ path: String) throws -> URL {
        let source = Fixtures.url(path)
        let target = try Fixtures.temporaryDirectory().appendingPathComponent(source.deletingPathExtension().lastPathComponent)
        _ = FileManager.default.createFile(atPath: target.path, contents: nil)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-dc", source.path]
        let handle = try FileHandle(forWritingTo: target)
        gzip.standardOutput = handle
        try gzip.run()
        gzip.waitUntilExit()
        try handle.close()
        #expect(gzip.terminationStatus == 0)
        return target
    }

    // MARK: - Uncompressed data

    @Test func uncompressedDatReadsLikeTheGzip() throws {
        let cases = [("ddi/ipumsr/cps_00157", "ASECWTH"), ("ddi/ipumspy/cps_00006", "HWTSUPP")]
        for (stem, weight) in cases {
            let plain = try gunzipped(stem + ".dat.gz")
            #expect(plain.pathExtension == "dat")
            let r = try readAll(plain, try parseDDI(stem + ".xml"))
            #expect(r.rowCount == 7668, "\(stem)")
            #expect(r.names.count == 8, "\(stem)")
            #expect(Array(r.doubles("YEAR").prefix(5)) == Array(repeating: 1962, count: 5), "\(stem)")
            #expect(Array(r.doubles(weight).prefix(5)) == asecwth, "\(stem)")
        }
    }

    // MARK: - Codebook attributes of the sibling extracts

    @Test(arguments: ["ddi/ipumsr/cps_00158.xml", "ddi/ipumsr/cps_00159.xml"])
    func siblingExtractsHaveTheCps00157Attributes(path: String) throws {
        let book = try parseDDI(path)
        #expect(book.variable(named: "YEAR")?.label == "Survey year")
        let state = try #require(book.variable(named: "STATEFIP"))
        #expect(state.categories.prefix(2).map(\.value) == ["01", "02"])
        #expect(state.category(for: "1")?.label == "Alabama")
        #expect(state.category(for: "2")?.label == "Alaska")
    }

    @Test func cps00159LongFirstValues() throws {
        let r = try readAll(Fixtures.url("ddi/ipumsr/cps_00159.dat.gz"), try parseDDI("ddi/ipumsr/cps_00159.xml"))
        #expect(r.doubles("YEAR").first == 1962)
        #expect(r.doubles("ASECWTH").first == 1475.59)
        #expect(r.texts("RECTYPE").first == "H")
    }

    // MARK: - Chunked reads

    /// Rows of `result` (as text per column) where STATEFIP is 19.
    static func iowa(_ names: [String], _ columns: [String: [Column]]) -> [[String?]] {
        var rows: [[String?]] = []
        let state = columns["STATEFIP"] ?? []
        for (b, column) in state.enumerated() {
            for i in 0..<column.count where column.double(at: i) == 19 {
                rows.append(names.map { columns[$0]![b].text(at: i) })
            }
        }
        return rows
    }

    @Test func chunkedFilterEqualsFullReadThenFilter() throws {
        let codebook = try parseDDI("ddi/ipumsr/cps_00157.xml")
        let url = Fixtures.url("ddi/ipumsr/cps_00157.dat.gz")
        let full = try readAll(url, codebook)
        let chunked = try readAll(url, codebook, ReadOptions(batchSize: 1000))
        #expect(full.batchRowCounts == [7668])
        #expect(chunked.batchRowCounts == Array(repeating: 1000, count: 7) + [668])
        let a = Self.iowa(full.names, full.columns)
        let b = Self.iowa(chunked.names, chunked.columns)
        #expect(a.count == 1892)
        #expect(a == b)
    }

    @Test(arguments: [ReadOptions.Shape.long, .perRecordType])
    func batchedReadEqualsSingleRead(shape: ReadOptions.Shape) throws {
        let codebook = try parseDDI("ddi/ipumsr/cps_00159.xml")
        let url = Fixtures.url("ddi/ipumsr/cps_00159.dat.gz")
        let single = try readAll(url, codebook, ReadOptions(shape: shape))
        let batched = try readAll(url, codebook, ReadOptions(batchSize: 1000, shape: shape))
        #expect(batched.rowCount == 11053)
        #expect(batched.batchRowCounts.count > single.batchRowCounts.count)
        #expect(batched.batchRowCounts.allSatisfy { $0 <= 1000 })
        if shape == .long {
            #expect(single.batchRowCounts == [11053])
            #expect(batched.names == single.names)
            for name in single.names { #expect(batched.texts(name) == single.texts(name), "column \(name)") }
            #expect(batched.recordTypes == single.recordTypes)
            #expect(batched.recordTypes.count == 11053)
        } else {
            #expect(batched.tables["H"]?.rows == 3385 && batched.tables["P"]?.rows == 7668)
            for type in ["H", "P"] {
                let names = try #require(single.tables[type]?.names)
                #expect(batched.tables[type]?.names == names)
                for name in names {
                    #expect(batched.texts(type, name) == single.texts(type, name), "\(type) \(name)")
                }
            }
        }
    }

    // MARK: - Exact values and storage

    @Test func cps00361FourteenDigitIDsAreExact() throws {
        let codebook = try parseDDI("ddi/ipumspy/cps_00361.xml")
        let r = try readAll(Fixtures.url("ddi/ipumspy/cps_00361.dat.gz"), codebook)
        func ints(_ name: String) -> [Int64] {
            guard case .integer(let v, _)? = r.columns[name]?.first?.storage else { return [] }
            return v
        }
        #expect(Array(ints("CPSID").prefix(3)) == [20_030_303_348_600, 20_031_203_902_400, 20_031_203_902_400])
        #expect(Array(ints("CPSIDP").prefix(3)) == [20_030_303_348_601, 20_031_203_902_401, 20_031_203_902_402])
        #expect(r.doubles("HWTFINL").first == 1597.2805)
        #expect(r.texts("HRSERSUF").first == "0")
    }

    @Test func cps00006WeightsAreRealWithFourDecimals() throws {
        let codebook = try parseDDI("ddi/ipumspy/cps_00006.xml")
        #expect(codebook.variable(named: "WTSUPP")?.decimals == 4)
        #expect(codebook.variable(named: "HWTSUPP")?.decimals == 4)
        let r = try readAll(Fixtures.url("ddi/ipumspy/cps_00006.dat.gz"), codebook)
        for name in ["HWTSUPP", "WTSUPP"] {
            guard case .real? = r.columns[name]?.first?.storage else {
                Issue.record("\(name) is not stored as real")
                continue
            }
        }
        guard case .integer? = r.columns["YEAR"]?.first?.storage else {
            Issue.record("YEAR is not stored as integer")
            return
        }
    }

    // MARK: - Record types and missing-value metadata

    @Test func atus00025KeysEveryRecordTypeButTheHousehold() throws {
        let book = try parseDDI("ddi/ipumsr/atus_00025.xml")
        let types = try #require(book.files.first?.recordTypes)
        #expect(Set(types.map(\.code)) == ["1", "2", "3", "4", "5"])
        for type in types {
            #expect(type.idVariable == "RECTYPE")
            #expect(type.keyVariables == (type.code == "1" ? [] : ["CASEID"]), "record type \(type.code)")
        }
    }

    /// `invalrng/item/@VALUE` codes per variable name, scanned from the XML text (independent of the parser).
    static func invalidItems(_ xml: String) throws -> [String: [String]] {
        let variable = try NSRegularExpression(pattern: #"<var\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</var>"#,
                                               options: .dotMatchesLineSeparators)
        let block = try NSRegularExpression(pattern: #"<invalrng\b[^>]*>(.*?)</invalrng>"#,
                                            options: .dotMatchesLineSeparators)
        let item = try NSRegularExpression(pattern: #"<item\b[^>]*\bVALUE="([^"]*)""#)
        let text = xml as NSString
        var out: [String: [String]] = [:]
        for v in variable.matches(in: xml, range: NSRange(location: 0, length: text.length)) {
            let name = text.substring(with: v.range(at: 1))
            for b in block.matches(in: xml, range: v.range(at: 2)) {
                for i in item.matches(in: xml, range: b.range(at: 1)) {
                    out[name, default: []].append(text.substring(with: i.range(at: 1)))
                }
            }
        }
        return out
    }

    @Test func nesstarInvalidItemsAndRangesAreAllRead() throws {
        let path = "ddi/cessda_osmh_indexer/synthetic_compliant_cmm_nesstar.xml"
        let book = try parseDDI(path)
        let items = try Self.invalidItems(String(decoding: try Data(contentsOf: Fixtures.url(path)), as: UTF8.self))
        #expect(items.values.map(\.count).reduce(0, +) == 663)
        for (name, codes) in items {
            let v = try #require(book.variable(named: name))
            #expect(codes.allSatisfy { v.missingValues.values.contains($0) }, "variable \(name)")
        }
        // Missing codes are the invalrng items plus the 767 missing-flagged categories, 651 codes in both.
        #expect(book.variables.flatMap(\.missingValues.values).count == 779)
        #expect(book.variables.flatMap(\.missingValues.ranges).count == 35)
        let rship = try #require(book.variable(named: "rshipa2"))
        #expect(rship.missingValues.ranges == [ValueRange(min: 66, max: nil)])
        #expect(rship.missingValues.ranges.first?.contains(1_000) == true)
        #expect(rship.missingValues.ranges.first?.contains(65) == false)
    }

    // MARK: - Selection in the long shape

    /// ipumsr gives 100 × 2 for `n_max=100, vars=c(RECTYPE,STATEFIP)`; like ipumspy, the long shape also
    /// carries the key variable SERIAL (see ``ReadOptions/variables``).
    @Test func limitedSelectionOfAHierarchicalFileCarriesTheKey() throws {
        let r = try readAll(Fixtures.url("ddi/ipumsr/cps_00159.dat.gz"), try parseDDI("ddi/ipumsr/cps_00159.xml"),
                            ReadOptions(variables: ["RECTYPE", "STATEFIP"], limit: 100))
        #expect(r.rowCount == 100)
        #expect(r.names == ["RECTYPE", "SERIAL", "STATEFIP"])
        #expect(r.statistics.stoppedAtLimit)
    }
}

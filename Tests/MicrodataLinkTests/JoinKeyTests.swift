import MicrodataReaders
import Testing

@testable import MicrodataLink

/// Key typing and bad input on small in-memory tables (counts worked by hand).
struct JoinKeyTests {
    struct Rows: BatchSource {
        var batches: [Batch]
        init(_ columns: [Column]) { batches = columns.isEmpty ? [] : [Batch(columns: columns, rowCount: columns[0].count)] }
        mutating func nextBatch() throws -> Batch? { batches.isEmpty ? nil : batches.removeFirst() }
    }

    static func ints(_ name: String, _ v: [Int64?]) -> Column {
        Column(name: name, storage: .integer(v.map { $0 ?? 0 }, missing: v.map { $0 == nil }))
    }

    func join(_ left: [Column], _ right: [Column], _ step: LinkStep) throws -> (Batch?, LinkAudit) {
        var s: any BatchSource = try JoinSource(left: Rows(left), right: Rows(right), step: step)
        var out: Batch?
        while let b = try s.nextBatch() { out = out == nil ? b : out }
        return (out, Linker.audit(of: s))
    }

    @Test func numericIdsCompareNumerically() throws {
        let (out, audit) = try join(
            [Self.ints("ID", [1, 2, 3, nil])],
            [Column(name: "ID", storage: .real([1.0, 2.5, 3.0])), Column(name: "X", storage: .real([10, 20, 30]))],
            LinkStep(path: "r.csv", keys: ["ID"]))
        #expect(out!.column(named: "X")!.doubles.map { $0.isNaN ? -1 : $0 } == [10, -1, 30, -1])
        #expect(audit.steps[0].left.matched == 2)
        #expect(audit.steps[0].left.missingKeys == 1)
        #expect(audit.steps[0].left.unmatched == 2)
        #expect(audit.steps[0].right.unmatched == 1)
    }

    @Test func stringIdsKeepLeadingZeros() throws {
        let (out, audit) = try join(
            [Column(name: "ID", storage: .text(["00123", "123", nil, "0042"]))],
            [Column(name: "ID", storage: .text(["123", "0042", nil])), Column(name: "X", storage: .text(["a", "b", "c"]))],
            LinkStep(path: "r.csv", keys: ["ID"]))
        #expect((0..<4).map { out!.column(named: "X")!.text(at: $0) } == [nil, "a", nil, "b"])
        #expect(audit.steps[0].left.missingKeys == 1)
        #expect(audit.steps[0].right.missingKeys == 1)
        #expect(audit.steps[0].right.matched == 2)
    }

    @Test func differingKeyTypesAreAnErrorUnlessAKeyTypeIsGiven() throws {
        let left = [Column(name: "ID", storage: .text(["001", "2"]))]
        let right = [Self.ints("ID", [1, 2]), Column(name: "X", storage: .real([5, 6]))]
        #expect {
            _ = try join(left, right, LinkStep(path: "sweep2.csv", keys: ["ID"]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("sweep2.csv") && text.contains("text in the left data") && text.contains("numeric in sweep2.csv")
                && text.contains("--key-type")
        }
        let (asString, _) = try join(left, right, LinkStep(path: "r.csv", keys: ["ID"], keyType: .string))
        #expect(asString!.column(named: "X")!.doubles.map { $0.isNaN ? -1 : $0 } == [-1, 6])
        let (asNumber, _) = try join(left, right, LinkStep(path: "r.csv", keys: ["ID"], keyType: .number))
        #expect(asNumber!.column(named: "X")!.doubles == [5, 6])
    }

    @Test func duplicateRightKeysNameTheFileKeyAndRows() throws {
        let left = [Self.ints("HH", [1, 2, 2, 3])]
        let right = [Self.ints("HH", [1, 2, 2, 3, 3, 3]), Column(name: "X", storage: .real([1, 2, 3, 4, 5, 6]))]
        #expect {
            _ = try join(left, right, LinkStep(path: "persons.csv", keys: ["HH"]))
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("persons.csv: 2 key values are on several rows, e.g. 2 on data rows 2, 3")
                && text.contains("3 left rows match several right rows") && text.contains("--aggregate")
        }
        let (first, firstAudit) = try join(left, right, LinkStep(path: "p.csv", keys: ["HH"], duplicates: .first))
        #expect(first!.column(named: "X")!.doubles == [1, 2, 2, 4])
        #expect(firstAudit.steps[0].right.duplicateKeys == 3)
        let (last, _) = try join(left, right, LinkStep(path: "p.csv", keys: ["HH"], duplicates: .last))
        #expect(last!.column(named: "X")!.doubles == [1, 3, 3, 6])
    }

    @Test func badInputIsAClearError() throws {
        let left = [Self.ints("CASE", [1, 2])]
        // A key column absent: the file and close matches.
        #expect {
            _ = try join(left, [Self.ints("CASER8", [1])], LinkStep(path: "hh.csv", keys: ["CASE"]))
        } throws: { "\($0)" == "hh.csv: key 'CASE' is not a column; close matches: CASER8" }
        // An empty right side.
        #expect {
            _ = try join(left, [], LinkStep(path: "empty.csv", keys: ["CASE"]))
        } throws: { "\($0)" == "empty.csv: the right file has no rows" }
        // An aggregate over a text column.
        #expect {
            _ = try join(
                left, [Self.ints("CASE", [1]), Column(name: "NAME", storage: .text(["x"]))],
                LinkStep(path: "p.csv", keys: ["CASE"], aggregates: [try Aggregate(parsing: "S=sum(NAME)")]))
        } throws: { "\($0)".contains("sum(NAME) needs a numeric variable; NAME is text") }
        // A left key column absent, named with the left file.
        #expect {
            var s = try JoinSource(left: Rows([Self.ints("CASEID", [1])]), right: Rows([Self.ints("CASE", [1])]),
                                   step: LinkStep(path: "hh.csv", keys: ["CASE"]), leftName: "persons.csv")
            _ = try s.nextBatch()
        } throws: { "\($0)" == "persons.csv: key 'CASE' is not a column; close matches: CASEID" }
        // Text keys that are not numbers under --key-type number: counted as missing, with a warning.
        let (_, audit) = try join(
            [Column(name: "CASE", storage: .text(["1", "x", "2.0"]))], [Self.ints("CASE", [1, 2])],
            LinkStep(path: "p.csv", keys: ["CASE"], keyType: .number))
        #expect(audit.steps[0].left.matched == 2)
        #expect(audit.steps[0].left.missingKeys == 1)
        #expect(audit.steps[0].warnings == ["1 left key values are not numbers (--key-type number): counted as missing keys"])
        #expect(throws: LinkError.self) { try Aggregate(parsing: "S=median(X)") }
        #expect(throws: RowExpressionError.self) { try Aggregate(parsing: "S=sum(X) where X >") }
    }

    @Test func nameClashesTakeTheRightFilesStem() throws {
        let (out, audit) = try join(
            [Self.ints("ID", [1]), Column(name: "REGION", storage: .real([4]))],
            [Self.ints("ID", [1]), Column(name: "region", storage: .real([7]))],
            LinkStep(path: "data/age42.csv.gz", keys: ["ID"]))
        #expect(out!.columns.map(\.name) == ["ID", "REGION", "region_age42"])
        #expect(audit.steps[0].renamed == ["region": "region_age42"])
    }
}

/// A child's row to its mother's row in the same household file (`--right-keys HHID,PERSNO` against the
/// left's `HHID,MOTHER_PNO`).
struct ParentLinkTests {
    @Test func rightKeysLinkChildrenToTheirMothers() throws {
        let persons = [
            JoinKeyTests.ints("HHID", [1, 1, 1, 2, 2]), JoinKeyTests.ints("PERSNO", [1, 2, 3, 1, 2]),
            JoinKeyTests.ints("MOTHER_PNO", [nil, nil, 2, nil, 1]), Column(name: "NSSEC", storage: .real([1, 2, 3, 2, 1])),
        ]
        var s: any BatchSource = try JoinSource(
            left: JoinKeyTests.Rows(persons), right: JoinKeyTests.Rows(persons),
            step: LinkStep(path: "lfs_household.csv", keys: ["HHID", "MOTHER_PNO"], rightKeys: ["HHID", "PERSNO"]))
        let out = try s.nextBatch()!
        #expect(try s.nextBatch() == nil)
        #expect(out.columns.map(\.name) == ["HHID", "PERSNO", "MOTHER_PNO", "NSSEC", "MOTHER_PNO_lfs_household",
                                            "NSSEC_lfs_household"])
        #expect(out.column(named: "NSSEC_lfs_household")!.doubles.map { $0.isNaN ? -1 : $0 } == [-1, -1, 2, -1, 2])
        let audit = Linker.audit(of: s).steps[0]
        #expect(audit.left.missingKeys == 3)
        #expect(audit.left.matched == 2)
        #expect(audit.right.matched == 2)
        #expect(audit.right.unmatched == 3)
    }
}

import MicrodataModels
import MicrodataReaders
import Testing

@Suite struct MobilityMovesTests {
    @Test func movesCompareCodesByRankInTheClassOrder() {
        #expect(MobilityMoves.move(origin: 3, destination: 1) == "upward")
        #expect(MobilityMoves.move(origin: 1, destination: 3) == "downward")
        #expect(MobilityMoves.move(origin: 2, destination: 2) == "immobile")
        #expect(MobilityMoves.move(origin: 3, destination: 1, highFirst: false) == "downward")
        #expect(MobilityMoves.move(origin: nil, destination: 1) == nil)
    }

    struct Rows: BatchSource {
        var batches: [Batch]
        mutating func nextBatch() throws -> Batch? { batches.isEmpty ? nil : batches.removeFirst() }
    }

    @Test func theSourceAddsTheMoveColumnAndNamesAMissingOne() throws {
        let batch = Batch(columns: [Column(name: "O", storage: .real([1, 4, 2, .nan])),
                                    Column(name: "D", storage: .text(["2", "1", "2", "1"]))], rowCount: 4)
        var source = MobilityMoves(Rows(batches: [batch]), origin: "o", destination: "d")
        let moved = try #require(try source.nextBatch())
        let column = try #require(moved.column(named: "move"))
        #expect((0..<4).map { column.text(at: $0) } == ["downward", "upward", "immobile", nil])
        var broken = MobilityMoves(Rows(batches: [batch]), origin: "o", destination: "dest")
        #expect(throws: SmallAreaError.self) { try broken.nextBatch() }
    }
}

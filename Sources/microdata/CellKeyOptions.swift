import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataWeighting

/// `--cell-key-seed`, `--record-id` and `--ptable`: the cell-key perturbation of published counts.
struct CellKeyOptions: ParsableArguments {
    @Option(name: .customLong("cell-key-seed"), help: ArgumentHelp("""
        Perturb published counts by the cell-key method (ABS/ONS): the same cell gets the same noise in every \
        output made with this seed, so outputs cannot be differenced or averaged to an exact count. Keep the \
        seed secret and fixed for a release; it is never printed. The ptable is printed with the output.
        """, valueName: "seed"))
    var seed: String?
    @Option(name: .customLong("record-id"), help: ArgumentHelp("""
        A stable record identifier for the record keys, one or more columns (HSERIALP,PERSNO); recommended: keys \
        then survive other columns changing. Without it each row's key is a hash of all its fields, so every \
        column is read, and identical rows share a key.
        """, valueName: "vars"))
    var recordID: String?
    @Option(name: .customLong("ptable"), help: "A ptable file (default Codebooks/disclosure/cell-key-ptable.json).")
    var ptable: String?

    func validate() throws {
        if seed == nil && (recordID != nil || ptable != nil) {
            throw ValidationError("--record-id and --ptable need --cell-key-seed")
        }
        if let seed, seed.isEmpty { throw ValidationError("--cell-key-seed must not be empty") }
    }

    /// The pass's cell-key accumulator, or `nil` when perturbation is off. The ptable is read here, so a bad
    /// one fails before the pass.
    func accumulator(by: [String], analysis: Analysis, weight: String?) throws -> CellKeyAccumulator? {
        if seed != nil { _ = try table() }
        return seed.map {
            CellKeyAccumulator(
                generator: RecordKeyGenerator(seed: $0), identity: recordID.map { .columns(commaList($0)) } ?? .allFields, by: by,
                analysis: analysis, weight: weight)
        }
    }

    /// The perturbation to apply once the pass is over.
    func perturbation(_ keys: CellKeyAccumulator?) throws -> CellKeyPerturbation? {
        guard let keys else { return nil }
        return CellKeyPerturbation(table: try table(), keys: keys)
    }

    private func table() throws -> PerturbationTable {
        try PerturbationTable.load(from: ptable.map { URL(fileURLWithPath: $0) } ?? PerturbationTable.defaultURL())
    }
}

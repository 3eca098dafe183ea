import Foundation

/// The replicate weights of the rows a quantile keeps, spilled in row order to an unlinked temporary file, so
/// that the pass stays in bounded memory; read back once the full-sample quantiles are known.
final class ReplicateSpill {
    let replicates: Int
    private let path: String
    private let handle: FileHandle
    private var buffer: [Double] = []
    private static let flushSize = 1 << 17
    /// The rows appended so far.
    private(set) var rows = 0

    init(replicates: Int) throws {
        self.replicates = replicates
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("microdata-replicates-\(UUID().uuidString).bin").path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forUpdatingAtPath: path)
        else { throw WeightingError.temporaryFile(path: path, problem: "cannot create it") }
        self.handle = handle
        unlink(path)  // the space is freed when the handle closes, however the process ends
        buffer.reserveCapacity(Self.flushSize + replicates)
    }

    deinit { try? handle.close() }

    /// Appends row `row`'s value of every replicate column.
    func append(_ columns: [[Double]], row: Int) throws {
        for column in columns { buffer.append(column[row]) }
        rows += 1
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        if buffer.isEmpty { return }
        do {
            try buffer.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
        } catch {
            throw WeightingError.temporaryFile(path: path, problem: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each row's replicate values, in the order the rows were appended.
    func forEachRow(_ body: (Int, UnsafeBufferPointer<Double>) -> Void) throws {
        try flush()
        let R = replicates
        let rowsPerChunk = max(1, (1 << 20) / max(R, 1))
        do {
            try handle.seek(toOffset: 0)
            var chunk = [Double](repeating: 0, count: rowsPerChunk * R)
            var row = 0
            while row < rows {
                let count = min(rowsPerChunk, rows - row)
                guard let data = try handle.read(upToCount: count * R * 8), data.count == count * R * 8 else {
                    throw WeightingError.temporaryFile(path: path, problem: "it is shorter than was written")
                }
                _ = chunk.withUnsafeMutableBytes { data.copyBytes(to: $0) }
                chunk.withUnsafeBufferPointer { values in
                    for k in 0..<count {
                        body(row + k, UnsafeBufferPointer(rebasing: values[(k * R)..<((k + 1) * R)]))
                    }
                }
                row += count
            }
            try handle.seekToEnd()
        } catch let error as WeightingError {
            throw error
        } catch {
            throw WeightingError.temporaryFile(path: path, problem: "cannot read it back: \(error.localizedDescription)")
        }
    }
}

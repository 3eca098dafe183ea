import Foundation
import MicrodataReaders

// gzip layer: inputs are written with the gzip magic bytes in front, so every input takes the inflate path
// (producer thread, bounded queue, member concatenation, truncation and CRC checks), then is read as CSV.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var data = Data(bytes: start, count: count)
    if !(count >= 2 && start[0] == 0x1f && start[1] == 0x8b) { data.insert(contentsOf: [0x1f, 0x8b], at: 0) }
    let url = Scratch.write(data, name: "data.csv.gz")
    let options = ReadOptions(batchSize: 64, format: .delimited(delimiter: nil), maxLineLength: 1 << 16)
    if var source = try? DataReader.open(data: url, codebook: nil, options: options) {
        while let batch = try? source.nextBatch() { _ = batch.rowCount }
    }
    return 0
}

import Foundation
import MicrodataReaders

// CSV reader: the streaming delimited reader (type inference, quoting) and the small-file record splitter.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let url = Scratch.write(bytes, name: "data.csv")
    let options = ReadOptions(batchSize: 5, format: .delimited(delimiter: nil), maxLineLength: 1 << 16)
    if var source = try? DataReader.open(data: url, codebook: nil, options: options) {
        while let batch = try? source.nextBatch() { _ = batch.rowCount }
        _ = source.statistics
    }
    _ = try? DelimitedRecords(text: String(decoding: bytes, as: UTF8.self))
    return 0
}

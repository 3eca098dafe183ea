import Foundation
import MicrodataCodebook
import MicrodataReaders

// Fixed-width reader: the input is a DDI codebook, the line "#DATA#", then fixed-width data read with it.
let parser = DDIParser(knownWeightNames: [])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFixedWidth(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let parts = Scratch.split(Data(bytes: start, count: count), on: "\n#DATA#\n")
    guard parts.count == 2, let codebook = try? parser.parse(data: parts[0], source: "fuzz.xml") else { return 0 }
    let url = Scratch.write(parts[1], name: "data.dat")
    let strict = count > 1 && start[count - 1] & 1 == 1
    let options = ReadOptions(batchSize: 7, strict: strict, format: .fixedWidth, maxLineLength: 1 << 16)
    guard var source = try? DataReader.open(data: url, codebook: codebook, options: options) else { return 0 }
    while let batch = try? source.nextBatch() { _ = batch.rowCount }
    _ = source.statistics
    return 0
}

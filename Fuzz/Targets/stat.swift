import Foundation
import MicrodataReaders

// SPSS/Stata/SAS files through ReadStat: the codebook and every batch. The format is found from the magic bytes;
// an input with none is also tried as SPSS portable (.por, recognised by extension). ReadStat itself is the
// system library, not instrumented: coverage guides on the Swift side, crashes anywhere are caught.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStat(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    var url = Scratch.write(bytes, name: "data.bin")
    if !StatFile.isStatFile(url) { url = Scratch.write(bytes, name: "data.por") }
    guard StatFile.isStatFile(url) else { return 0 }
    _ = try? StatFile.codebookWithWarnings(url)
    if var source = try? StatFile.open(url, options: ReadOptions(batchSize: 7)) {
        while let batch = try? source.nextBatch() { _ = batch.rowCount }
        _ = source.statistics
    }
    return 0
}

import Foundation
import MicrodataCodebook

// DDI parser: DDI 2.x codebooks (with validation warnings) and DDI 3.x code lists from arbitrary bytes.
let parser = DDIParser(knownWeightNames: ["WTFINL", "PERWT"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDDI(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    if let (codebook, _) = try? parser.parseWithWarnings(data: data, source: "fuzz.xml") {
        _ = codebook.variables.count
    }
    if count > 0 && start[0] & 1 == 1 {
        _ = try? parser.parseCodeLists(data: data, source: "fuzz.xml")
    }
    return 0
}

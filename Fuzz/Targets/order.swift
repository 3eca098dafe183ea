import Foundation
import MicrodataMobility

// `mobility --order` class-order files: one code[,label] per line, each code once.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrder(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    if let classes = try? ClassScheme.order(text: String(decoding: bytes, as: UTF8.self), source: "order.csv") {
        _ = ClassScheme(name: "raw", classes: classes).directions(strict: false)
    }
    return 0
}

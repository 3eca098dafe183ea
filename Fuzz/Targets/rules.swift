import Foundation
import MicrodataDisclosure

// Disclosure rules loader: the input as a rules file on its own, and as overrides of the shipped defaults.
let defaults = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FUZZ_RULES_DEFAULTS"]
    ?? "Codebooks/disclosure/default-rules.json")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let url = Scratch.write(UnsafeRawBufferPointer(start: start, count: count), name: "rules.json")
    _ = try? DisclosureRules.load(defaults: url)
    _ = try? DisclosureRules.load(defaults: defaults, overrides: url)
    return 0
}

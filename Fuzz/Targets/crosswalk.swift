import Foundation
import MicrodataHarmonise

// Crosswalk loader: the input is a manifest.json and the tables it names, separated by "\n#FILE <name>#\n"
// lines; the folder is loaded as a crosswalk registry and every crosswalk is queried.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCrosswalk(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let parts = Scratch.split(Data(bytes: start, count: count), on: "\n#FILE ")
    let folder = Scratch.folder.appendingPathComponent("registry")
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("manifest.json").path, contents: parts[0])
    for part in parts.dropFirst() {
        guard let close = part.range(of: Data("#\n".utf8)) else { continue }
        let name = String(decoding: part[part.startIndex..<close.lowerBound], as: UTF8.self)
        guard !name.isEmpty, !name.contains("/"), name != "manifest.json", !name.hasPrefix(".") else { continue }
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path,
                                       contents: Data(part[close.upperBound...]))
    }
    guard let registry = try? CrosswalkRegistry(folders: [folder]) else { return 0 }
    for cw in registry.crosswalks.values {
        for code in cw.sourceCodes.prefix(20) {
            _ = cw.distribution(of: code, basis: nil)
            for b in cw.bases.indices { _ = cw.distribution(of: code, basis: b) }
        }
        _ = cw.reversedByCount()
    }
    return 0
}

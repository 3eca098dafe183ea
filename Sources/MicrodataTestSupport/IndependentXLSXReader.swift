import Foundation

/// `scripts/check-xlsx.py`: opens workbooks with openpyxl, a reader independent of libxlsxwriter, and checks
/// them against the GSS spreadsheet guidance (cover, linked contents, one named table per sheet, wrapped and
/// frozen headers, widths, no merged cells, shorthand explained).
public enum IndependentXLSXReader {
    /// The checker's exit status (0 pass, 1 a problem, 3 openpyxl missing), its JSON summary and its problems.
    public struct Outcome: Sendable {
        public var status: Int32
        public var summary: String
        public var problems: String
    }

    /// Runs the checker on `files`, with Debian's `/usr/bin/python3` first (a pyenv `python3` earlier on `PATH`
    /// may lack `python3-openpyxl`), then `python3` from `PATH`. Status 3 means no interpreter had openpyxl.
    public static func check(_ files: [URL]) throws -> Outcome {
        let script = Fixtures.packageRoot.appendingPathComponent("scripts/check-xlsx.py").path
        var last = Outcome(status: 3, summary: "", problems: "no python3 found: install python3-openpyxl")
        for interpreter in [["/usr/bin/python3"], ["/usr/bin/env", "python3"]] {
            guard FileManager.default.isExecutableFile(atPath: interpreter[0]) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: interpreter[0])
            process.arguments = Array(interpreter.dropFirst()) + [script] + files.map(\.path)
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            last = Outcome(status: process.terminationStatus, summary: String(decoding: o, as: UTF8.self),
                           problems: String(decoding: e, as: UTF8.self))
            if last.status != 3 { return last }
        }
        return last
    }
}

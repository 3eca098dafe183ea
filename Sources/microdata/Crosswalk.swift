import ArgumentParser
import Foundation
import MicrodataHarmonise
import MicrodataWrite

/// One line on standard output, its write errors thrown (see `StandardOutput`).
private func emit(_ line: String) throws { try StandardOutput.write(line + "\n") }

/// `microdata crosswalk list | show NAME [CODE]`: look up the shipped and user crosswalks.
struct Crosswalk: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and show code frames, crosswalks, NS-SEC and qualification tables.",
        discussion: """
            The shipped folder is $MICRODATA_CODEBOOKS/crosswalks when MICRODATA_CODEBOOKS is set, else the \
            Codebooks/crosswalks folder nearest above the microdata executable (or the working directory). \
            --crosswalks DIR adds a folder of your own with a manifest.json in the same format.
            """,
        subcommands: [List.self, Show.self])

    struct Folders: ParsableArguments {
        @Option(name: .customLong("crosswalks"), help: "A folder of your own crosswalks (manifest.json + CSV); repeatable.")
        var crosswalks: [String] = []

        func registry() throws -> CrosswalkRegistry {
            guard let shipped = CrosswalkRegistry.shippedFolder(executable: Bundle.main.executableURL) else {
                throw ValidationError(
                    "cannot find Codebooks/crosswalks: set MICRODATA_CODEBOOKS to the Codebooks folder")
            }
            var folders = [shipped]
            for dir in crosswalks {
                let url = URL(fileURLWithPath: dir)
                let nested = url.appendingPathComponent("crosswalks")
                let hasOwn = FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.json").path)
                folders.append(hasOwn ? url : nested)
            }
            do { return try CrosswalkRegistry(folders: folders) } catch let e as HarmoniseError {
                FileHandle.standardError.write(Data("error: \(e)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every table with its source, date, licence and sha256.",
            discussion: """
                Tab-separated: name, kind, scheme (FROM>TO for a crosswalk), weight bases, source, issued, \
                licence, sha256 (the computed one for an entry without a sha256 in its manifest) and a note.
                """)
        @OptionGroup var folders: Folders

        func run() throws {
            let r = try folders.registry()
            var lines = ["name\tkind\tscheme\tbases\tsource\tissued\tlicence\tsha256\tnote"]
            for l in r.entries {
                let e = l.entry
                let scheme = e.kind == "crosswalk" ? "\(e.from ?? "")>\(e.to ?? "")" : (e.scheme ?? "")
                let bases = (e.weights ?? [:]).keys.sorted().joined(separator: ",")
                var note = e.approximate == true ? "APPROXIMATE" : ""
                if r.unverified[e.name] != nil { note += (note.isEmpty ? "" : " ") + "no sha256 in manifest" }
                let sha = e.sha256 ?? r.unverified[e.name] ?? ""
                let source = e.source.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
                lines.append([e.name, e.kind, scheme, bases, source, e.issued, e.licence, sha, note].joined(separator: "\t"))
            }
            if let t = r.nssec?.tables["SOC2020"], t.isApproximate {
                lines.append("(derived)\tnssec-derivation\tSOC2020\t\t\t\t\t\t\(t.note)")
            }
            try StandardOutput.write(lines.joined(separator: "\n") + "\n")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one table, or one code in it (a scheme name such as SOC2020 shows its code frame).")
        @OptionGroup var folders: Folders
        @Argument(help: "A name from `crosswalk list`, or a scheme (SOC2020, SOC2010, ISCO08, SOC2000, SOC90).")
        var name: String
        @Argument(help: "A code to look up.") var code: String?

        func run() throws {
            let r = try folders.registry()
            let entry = r.entries.first { $0.entry.name.lowercased() == name.lowercased() }?.entry
            if let entry {
                try emit("\(entry.name): \(entry.kind), file \(entry.file)")
                try emit("source: \(entry.source)")
                try emit("issued \(entry.issued); licence \(entry.licence); sha256 \(entry.sha256 ?? r.unverified[entry.name] ?? "")")
                if let note = entry.approxNote { try emit("APPROXIMATE: \(note)") }
            }
            if entry?.kind == "crosswalk", let cw = r.crosswalks[entry!.name] {
                try show(cw)
            } else if let frame = r.codeFrames[entry?.scheme ?? name.uppercased()],
                entry == nil || entry?.kind == "codeframe"
            {
                try show(frame)
            } else if entry?.kind == "nssec-derivation" || entry?.kind == "nssec-simplified"
                || (entry == nil && name.lowercased().hasPrefix("nssec"))
            {
                try showNSSEC(r, scheme: entry?.scheme ?? "SOC2020")
            } else if entry?.kind == "qualification-levels", let table = r.qualifications {
                try showQualification(table)
            } else if entry == nil {
                throw ValidationError("no table named \(name); see `microdata crosswalk list`")
            }
        }

        func show(_ cw: MicrodataHarmonise.Crosswalk) throws {
            guard let code else {
                let counts = cw.sourceCodes.map { cw.links[$0]!.count }
                try emit("\(cw.fromScheme) → \(cw.toScheme): \(cw.sourceCodes.count) source codes, \(counts.reduce(0, +)) links, "
                    + "\(counts.filter { $0 == 1 }.count) one-to-one, max fan-out \(counts.max() ?? 0)")
                if cw.bases.isEmpty {
                    try emit("bases: none (a code list without link weights)")
                } else {
                    try emit("bases: \(cw.bases.joined(separator: ", ")) (default \(cw.entry.defaultBasis ?? "none"))")
                }
                return
            }
            guard let links = cw.links[code] else { throw ValidationError("\(code) is not a \(cw.fromScheme) code of \(cw.name)") }
            try emit((["target"] + cw.bases).joined(separator: "\t"))
            for link in links {
                try emit(([link.target] + link.weights.map { String(format: "%.6g", $0) }).joined(separator: "\t"))
            }
        }

        func show(_ frame: CodeFrame) throws {
            guard let code else {
                for level in ["major", "sub_major", "minor", "unit"] {
                    try emit("\(level): \(frame.codes(level: level).count)")
                }
                return
            }
            guard var entry = frame.entry(code) else { throw ValidationError("\(code) is not in \(frame.scheme)") }
            try emit("\(entry.code)\t\(entry.level)\t\(entry.title)")
            while let p = entry.parent, let parent = frame.entry(p) {
                try emit("  in \(parent.code)\t\(parent.level)\t\(parent.title)")
                entry = parent
            }
        }

        func showNSSEC(_ r: CrosswalkRegistry, scheme: String) throws {
            guard let ns = r.nssec, let table = ns.tables[scheme] else { throw ValidationError("no NS-SEC table for \(scheme)") }
            if table.isApproximate { try emit(table.note) }
            guard let code else { try emit("\(table.full.count) unit groups"); return }
            guard table.full[code] != nil || table.simplified[code] != nil else {
                throw ValidationError("\(code) is not in the \(scheme) NS-SEC table")
            }
            try emit("method\tstatus\top category\tclass8\tclass5\tclass3\tshare")
            for (method, n) in [(NSSECMethod.full, 7), (.reduced, 5), (.simplified, 1)] {
                for s in 1...n {
                    guard let cell = table.cell(unit: code, method: method, status: s) else { continue }
                    let c = ns.classes(of: cell.operationalCategory)
                    try emit([method.rawValue, method == .simplified ? "-" : String(s), cell.operationalCategory, c?.class8 ?? "?",
                           c?.class5 ?? "?", c?.class3 ?? "?", String(format: "%.3f", cell.share)].joined(separator: "\t"))
                }
            }
        }

        func showQualification(_ table: QualificationTable) throws {
            guard let code else {
                for q in table.qualifications { try emit("\(q.code)\t\(q.nations.map(\.rawValue).sorted().joined())\t\(q.name)") }
                return
            }
            guard let q = table.qualification(code) else { throw ValidationError("no qualification \(code)") }
            try emit("\(q.code): \(q.name) (nations \(q.nations.map(\.rawValue).sorted().joined()))")
            for scale in QualificationTable.scales {
                let levels = q.levels[scale] ?? []
                try emit("\(scale)\t" + (levels.isEmpty ? "(no level)" : levels.map { "\($0.value) [\($0.basis), \($0.confidence)]" }.joined(separator: "; ")))
            }
        }
    }
}

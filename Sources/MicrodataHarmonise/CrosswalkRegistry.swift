import Foundation
import MicrodataWrite
import MicrodataCodebook
import MicrodataReaders

/// All code frames, crosswalks, NS-SEC and qualification tables of one or more crosswalk folders.
///
/// Each folder has a `manifest.json` (see ``Manifest``). Every file's sha256 is checked against its entry
/// before it is parsed. User folders are loaded after the shipped one and may add code frames, crosswalks
/// (their survey's code frame → a shipped scheme) and NS-SEC tables (e.g. the official SOC2020 table);
/// a name used twice is an error, never a silent override.
public struct CrosswalkRegistry: Sendable {
    /// A loaded entry and the folder it came from.
    public struct Loaded: Sendable {
        public var entry: ManifestEntry
        public var url: URL
    }

    public private(set) var entries: [Loaded] = []
    public private(set) var codeFrames: [String: CodeFrame] = [:]
    public private(set) var crosswalks: [String: Crosswalk] = [:]
    public private(set) var nssec: NSSECTables?
    public private(set) var qualifications: QualificationTable?
    public private(set) var nations = NationCodes()
    /// The nation table in use, `name (file)`: the last `nations` entry loaded, so a user folder's table
    /// replaces the shipped one; `nil` when no folder has one.
    public private(set) var nationsSource: String?
    /// Files loaded without a sha256 in their manifest entry, with the computed checksum to record.
    public private(set) var unverified: [String: String] = [:]
    /// Every entry's file as read (header and cells), for `crosswalk show` and `--search`.
    var rawTables: [String: (header: [String], rows: [[String]])] = [:]

    /// Loads the folders in order.
    ///
    /// - Throws: ``HarmoniseError`` for a missing or unreadable manifest, a checksum mismatch, a duplicate
    ///   name, or a malformed table (naming the file and line).
    public init(folders: [URL]) throws {
        for folder in folders {
            let manifestURL = folder.appendingPathComponent("manifest.json")
            let manifest: Manifest
            do {
                manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
            } catch {
                throw HarmoniseError("cannot read the crosswalk manifest: \(error)", file: manifestURL.path)
            }
            for entry in manifest.entries {
                if entries.contains(where: { $0.entry.name == entry.name }) {
                    throw HarmoniseError("the name '\(entry.name)' is used by two manifest entries", file: manifestURL.path)
                }
                entries.append(Loaded(entry: entry, url: folder.appendingPathComponent(entry.file)))
            }
        }
        var tables: [String: CSVTable] = [:]
        for loaded in entries {
            let data = try verifiedData(loaded)
            // A `table` entry is shipped for reference only: its checksum is verified, its content not parsed.
            if loaded.entry.kind != "table" { tables[loaded.entry.name] = try CSVTable(data: data, url: loaded.url) }
            if let t = tables[loaded.entry.name] ?? (try? CSVTable(data: data, url: loaded.url)) {
                rawTables[loaded.entry.name] = (t.header, t.rows.map(\.fields))
            }
        }
        func of(_ kind: String) -> [Loaded] { entries.filter { $0.entry.kind == kind } }
        for l in of("codeframe") {
            guard let scheme = l.entry.scheme else {
                throw HarmoniseError("code frame entry '\(l.entry.name)' needs a scheme", file: l.url.path)
            }
            codeFrames[scheme] = try CodeFrame(scheme: scheme, table: tables[l.entry.name]!)
        }
        for l in of("crosswalk") {
            let cw = try Crosswalk(
                entry: l.entry, table: tables[l.entry.name]!, targetFrame: codeFrames[l.entry.to ?? ""])
            crosswalks[l.entry.name] = cw
        }
        // Schemes known only as crosswalk sources (SOC90, SOC2000) get a frame of their source codes.
        // Their titles come from a crosswalk file's `<source column>_title` column where one has it.
        for cw in crosswalks.values.sorted(by: { $0.name < $1.name }) where codeFrames[cw.fromScheme] == nil {
            var titles: [String: String] = [:]
            for other in crosswalks.values where other.fromScheme == cw.fromScheme {
                guard let t = tables[other.name], let column = other.entry.fromColumn,
                    let c = t.header.firstIndex(of: column), let ti = t.header.firstIndex(of: column + "_title")
                else { continue }
                for row in t.rows where titles[row.fields[c]] == nil { titles[row.fields[c]] = row.fields[ti] }
            }
            codeFrames[cw.fromScheme] = CodeFrame(scheme: cw.fromScheme, unitCodes: cw.sourceCodes, titles: titles)
        }
        // User folders load after the shipped one: their nation table wins.
        if let l = of("nations").last {
            nations = try NationCodes(tables[l.entry.name]!)
            nationsSource = "\(l.entry.name) (\(l.url.path))"
        }
        if let l = of("qualification-levels").first { qualifications = try QualificationTable(tables[l.entry.name]!) }
        // Every crosswalk into the qualification keys must name keys that exist.
        if let table = qualifications {
            for cw in crosswalks.values.sorted(by: { $0.name < $1.name }) where cw.toScheme == "QUAL" {
                for source in cw.sourceCodes {
                    for link in cw.links[source]! where table.qualification(link.target) == nil {
                        throw HarmoniseError(
                            "unknown qualification key \(link.target): not in qualification_levels_long.csv",
                            file: entries.first { $0.entry.name == cw.name }?.url.path, line: link.line)
                    }
                }
            }
        }
        if let cl = of("nssec-classes").first {
            let classes = try NSSECTables.loadClasses(tables[cl.entry.name]!)
            let input = try of("nssec-status-input").first.map { try NSSECTables.loadStatusInput(tables[$0.entry.name]!) }
            var ns = NSSECTables(classes: classes, statusInput: input ?? [:])
            for c in of("nssec-status-codings") {
                let rules = of("nssec-status-rules").last.map { tables[$0.entry.name]! }
                let loaded = try NSSECStatusCoding.load(
                    codings: tables[c.entry.name]!, rules: rules, source: "\(c.entry.name): \(c.entry.source)")
                ns.statusCodings.merge(loaded) { _, new in new }
            }
            for d in of("nssec-derivation") {
                let scheme = d.entry.scheme ?? "SOC2010"
                let simple = of("nssec-simplified").first { ($0.entry.scheme ?? "SOC2010") == scheme }
                ns.tables[scheme] = try NSSECTable(
                    entry: d.entry, derivation: tables[d.entry.name]!,
                    simplifiedTable: simple.map { tables[$0.entry.name]! }, classes: classes)
            }
            // Without an official table, SOC2020 is approximated through SOC2010 → SOC2020 dual coding.
            if ns.tables["SOC2020"] == nil, let base = ns.tables["SOC2010"],
                let link = crosswalks.values.sorted(by: { $0.name < $1.name }).first(where: {
                    $0.fromScheme == "SOC2010" && $0.toScheme == "SOC2020" && $0.entry.countColumn != nil
                })
            {
                ns.tables["SOC2020"] = NSSECTable(approximating: base, through: link)
            }
            nssec = ns
        }
    }

    /// The bytes of an entry's file, after checking them against the entry's sha256 (or recording the
    /// computed one in ``unverified`` when the entry has none).
    private mutating func verifiedData(_ l: Loaded) throws -> Data {
        let data: Data
        do { data = try Data(contentsOf: l.url) } catch {
            throw HarmoniseError("cannot read the file of manifest entry '\(l.entry.name)'", file: l.url.path)
        }
        let digest = SHA256.hex([UInt8](data))
        if let expected = l.entry.sha256 {
            guard expected.lowercased() == digest else {
                throw HarmoniseError(
                    "sha256 \(digest) does not match the manifest's \(expected): the file changed since it was registered",
                    file: l.url.path)
            }
        } else {
            unverified[l.entry.name] = digest
        }
        return data
    }

    /// The crosswalk from `from` to `to`: the one named `name` if given, else the first by name.
    public func crosswalk(from: String, to: String, name: String? = nil) -> Crosswalk? {
        if let name { return crosswalks[name].flatMap { $0.fromScheme == from && $0.toScheme == to ? $0 : nil } }
        return crosswalks.values.filter { $0.fromScheme == from && $0.toScheme == to }.min { $0.name < $1.name }
    }

    /// The shipped crosswalk folder, `crosswalks/` in the project's `Codebooks/` folder (see ``CodebooksFolder``).
    public static func shippedFolder(executable: URL?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL?
    {
        (try? CodebooksFolder.file("crosswalks/manifest.json", environment: environment, executable: executable?.path))?
            .deletingLastPathComponent()
    }

}

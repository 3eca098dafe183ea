import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataMobility
import MicrodataWeighting
import MicrodataWrite

/// `microdata demo`: the main job on the bundled synthetic LFS-style example.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the social-mobility job on the bundled synthetic LFS-style example.",
        discussion: """
            Reads Codebooks/examples/lfs-synthetic (100,000 synthetic persons, gzip fixed-width, DDI 2.5), derives \
            origin (main earner at 14, SM_NSEC20) and destination (NSECM20) NS-SEC classes, estimates with \
            households as clusters, applies disclosure control, prints the outflow table and absolute rates, and \
            writes CSV, JSON, Markdown, XLSX and HTML into the output folder.
            """)

    @Option(name: .customLong("output-dir"), help: "Where to write the files.") var outputDirectory = "microdata-demo"
    @Option(help: "Class scheme: NSSEC8, NSSEC5 or NSSEC3.") var classes = "NSSEC5"

    func run() throws {
        try MobilityRun.checkOutputs([], folder: outputDirectory, inputs: [])
        let codebook = try CodebooksFolder.file("examples/lfs-synthetic/lfs_synthetic_js2024.xml")
        let data = codebook.deletingLastPathComponent().appendingPathComponent("lfs_synthetic_js2024.dat.gz")
        let target = classes.uppercased()
        let request = MobilityRequest(
            data: data, codebook: codebook.path,
            origin: try ClassSpec(parsing: "SM_NSEC20:NSSEC-OP>\(target)", option: "--classes"),
            destination: try ClassSpec(parsing: "NSECM20:NSSEC-OP>\(target)", option: "--classes"),
            design: .householdClusters(weight: "PWT24", household: "HSERIALP"), by: [], order: nil,
            strictDirections: false, level: 0.95, rules: nil, disclosureControl: true, crosswalks: [],
            title: "Social mobility in the synthetic LFS-style example",
            subtitle: "SYNTHETIC DATA: 100,000 generated persons, not the Labour Force Survey.")
        let result = try request.run()
        var text = ""
        for id in ["outflow", "rates"] {
            if let table = result.publication.tables.first(where: { $0.id == id }) { text += table.markdown() + "\n" }
        }
        let folder = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        try result.writeAll(to: folder, stem: "mobility")
        text += "Wrote CSV, JSON, Markdown, XLSX and HTML, and the disclosure audit, to \(folder.path)/\n"
        try StandardOutput.write(text)
        result.printSummary()
    }
}

import Foundation
import MicrodataTestSupport
import Testing

/// `tabulate --lorenz … --lorenz-report FILE`: the checked ordinates as an HTML Lorenz-curve chart or an
/// XLSX sheet, with the same suppressions as the table.
@Suite(.timeLimit(.minutes(3))) struct LorenzReportCLITests {
    typealias T = TabulateSideDoorTests

    @Test func htmlReportDrawsThePublishedOrdinatesOnly() throws {
        let folder = try Fixtures.temporaryDirectory()
        let report = folder.appendingPathComponent("lorenz.html").path
        let rows = try T.tabulate(try T.dataFile(), ["--lorenz", "income:0.2,0.5,0.8,0.99", "--by", "sex",
                                                     "--lorenz-report", report])
        let html = try String(contentsOfFile: report, encoding: .utf8)
        // One curve per sex, starting at (0,0) and ending at (1,1) of the 360-pixel plot.
        let curves = html.components(separatedBy: "<polyline points=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(curves.count == 2)
        for (sex, curve) in zip(["f", "m"], curves) {
            let points = curve.split(separator: " ")
            #expect(points.first == "60.0,380.0" && points.last == "420.0,20.0")
            // Interior points: the published ordinates of the table, suppressed ones ([c]) left out.
            let published = rows.filter { $0["sex"] == sex && $0["status"] == "safe" }
            #expect(points.count == published.count + 2, "\(sex): \(curve)")
            for (row, point) in zip(published, points.dropFirst()) {
                let p = try #require(T.number(row, "level")), l = try #require(T.number(row, "estimate"))
                let xy = point.split(separator: ",").compactMap { Double($0) }
                #expect(abs(xy[0] - (60 + 360 * p)) < 0.06 && abs(xy[1] - (20 + 360 * (1 - l))) < 0.06)
            }
        }
        #expect(rows.contains { $0["status"] == "primary:quantile-sides" })
        // The table beside the chart shows [c] where the CSV does.
        #expect(html.contains("<td>[c]</td>"))
        #expect(html.contains("sex = f") && html.contains("line of equality"))
    }

    @Test func xlsxReportHasALorenzSheet() throws {
        let unzip = URL(fileURLWithPath: "/usr/bin/unzip")
        guard FileManager.default.isExecutableFile(atPath: unzip.path) else { return }
        let report = try Fixtures.temporaryDirectory().appendingPathComponent("lorenz.xlsx")
        _ = try T.tabulate(try T.dataFile(), ["--lorenz", "income:0.5,0.8", "--lorenz-report", report.path])
        let workbook = try Fixtures.unzipped(report, members: ["xl/workbook.xml"])
        let sheets = workbook.components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(sheets.contains("lorenz"), "\(sheets)")
    }

    @Test func lorenzReportNeedsLorenzOrdinatesAndAKnownFormat() throws {
        let file = try T.dataFile()
        let noLorenz = try CLIFailureTests.run(["tabulate", "--data", file, "--weight", "w", "--gini", "income",
                                                "--lorenz-report", "/tmp/x.html"])
        #expect(noLorenz.status == 2 && noLorenz.stderr.contains("--lorenz-report needs --lorenz"))
        let pdf = try CLIFailureTests.run(["tabulate", "--data", file, "--weight", "w", "--lorenz", "income:0.5",
                                           "--lorenz-report", "/tmp/x.pdf"])
        #expect(pdf.status == 2 && pdf.stderr.contains("give a .html or .xlsx file"))
        // The report is an output: it may not overwrite the data.
        let same = try CLIFailureTests.run(["tabulate", "--data", file, "--weight", "w", "--lorenz", "income:0.5",
                                            "--lorenz-report", file])
        #expect(same.status != 0)
    }
}

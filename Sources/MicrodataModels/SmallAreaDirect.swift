import Foundation
import MicrodataReaders
import MicrodataWeighting

/// One area's direct (design-based) estimate, as the small-area model receives it.
public struct DirectEstimate: Sendable, Hashable {
    public var area: String
    public var estimate: Double?
    public var standardError: Double?
    /// Unweighted respondents (`nil` for estimates given in a file).
    public var count: Int?
    /// Respondents in the area (for a proportion, in every level), for the GVF and the arcsine transformation;
    /// `nil` for estimates given in a file without a `--sample-size` column.
    public var sampleSize: Int?
    /// The disclosure status of the direct estimate (`safe`, `primary:threshold`, `secondary`, `review:zero`,
    /// `given` for a file's estimate, `not-given` for a file's marker or blank).
    public var status: String
    /// Whether the estimate may be published, and so used by the model (one that may not is fitted as an area
    /// without sample, so no published figure depends on it).
    public var publishable: Bool

    public init(area: String, estimate: Double?, standardError: Double?, count: Int? = nil, sampleSize: Int? = nil,
                status: String, publishable: Bool) {
        self.area = area
        self.estimate = estimate
        self.standardError = standardError
        self.count = count
        self.sampleSize = sampleSize
        self.status = status
        self.publishable = publishable
    }

    /// Whether the model can use it: publishable, with a number and a standard error.
    public var usable: Bool { publishable && estimate != nil && standardError != nil }
}

/// Direct estimates per area: from microdata with the survey estimator (as `tabulate --by AREA`), or from a file.
public enum SmallAreaDirect {
    /// The design-based estimates of `analysis` in each value of `area`, in one pass over `source`.
    public static func estimate(
        _ source: any BatchSource, design: SurveyDesign, analysis: Analysis, area: String, keptContributions: Int = 2
    ) throws -> EstimateTable {
        var options = EstimationOptions(by: [area])
        options.keptContributions = keptContributions
        var estimator = try SurveyEstimator(design: design, analyses: [analysis], options: options)
        var source = source
        while let batch = try source.nextBatch() { try estimator.add(batch) }
        return try estimator.finish().table
    }

    /// The indices of `table`'s cells for the estimate asked for: every cell, or those of `level` (a proportion).
    ///
    /// - Throws: ``SmallAreaError/missingColumn(column:file:)`` naming the level when no cell has it.
    public static func cells(of table: EstimateTable, level: String?) throws -> [Int] {
        guard let level else { return Array(table.cells.indices) }
        let key = SmallAreaData.key(level)
        let found = table.cells.indices.filter { table.cells[$0].level.map(SmallAreaData.key) == key }
        if found.isEmpty {
            let levels = Set(table.cells.compactMap(\.level)).sorted().joined(separator: ", ")
            throw SmallAreaError.missingColumn(column: "level \(level) (levels: \(levels))", file: "the data")
        }
        return found
    }

    /// Direct estimates from a file with one row per area (e.g. `tabulate --by AREA` output): text such as `[c]`
    /// or a blank in the estimate or SE leaves the area without a direct estimate.
    public static func read(_ data: ModelData, area: String, estimate: String, se: String, file: String) throws
        -> [DirectEstimate]
    {
        var columns: [Column] = []
        for name in [area, estimate, se] {
            guard let c = data.column(name) else { throw SmallAreaError.missingColumn(column: name, file: file) }
            columns.append(c)
        }
        var seen = Set<String>()
        return try (0..<data.rowCount).map { r in
            guard let name = columns[0].text(at: r) else { throw SmallAreaError.missingArea(file: file, row: r + 2) }
            guard seen.insert(SmallAreaData.key(name)).inserted else { throw SmallAreaError.duplicateArea(area: name, file: file) }
            let y = columns[1].text(at: r).flatMap { Double($0) }, s = columns[2].text(at: r).flatMap { Double($0) }
            let given = y != nil && s != nil
            return DirectEstimate(area: name, estimate: y, standardError: s, status: given ? "given" : "not-given", publishable: given)
        }
    }
}

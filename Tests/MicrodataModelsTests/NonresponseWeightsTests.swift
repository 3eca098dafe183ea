import Foundation
import MicrodataDisclosure
import MicrodataModels
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import MicrodataWrite
import Testing

/// Fixtures/nonresponse: a synthetic cohort (make_cohort.R) and R survey 4.1.1 oracles (oracle.R).
@Suite("Attrition weights against R svyglm(quasibinomial) and svymean")
struct NonresponseWeightsTests {
    static let rhs = "factor(origin) + factor(sex) + region"
    static let design = SurveyDesign(weight: "w0", strata: "stratum", clusters: ["psu"], nest: true)

    static func cohort() throws -> ModelData {
        try ModelData(source: DataReader.open(data: Fixtures.url("nonresponse/cohort.csv"), codebook: nil))
    }

    /// An oracle CSV as rows of fields (header dropped, quotes removed).
    static func oracle(_ name: String) throws -> [[String]] {
        try DelimitedRecords(contentsOf: Fixtures.url("nonresponse/\(name)")).records.dropFirst().map(\.fields)
    }

    static func weights(cap: WeightCap? = nil, data: ModelData? = nil) throws -> NonresponseWeights {
        try NonresponseWeights(
            data: data ?? cohort(), design: design, respond: "respond", model: rhs, id: "id", cap: cap)
    }

    @Test func coefficientsStandardErrorsAndWaldTestsMatchSvyglm() throws {
        let w = try Self.weights()
        let expected = try Self.oracle("oracle_coefficients.csv")
        #expect(w.model.coefficients.map(\.term) == expected.map { $0[0] })
        for (c, row) in zip(w.model.coefficients, expected) {
            close(c.estimate, Double(row[1]), "\(c.term) estimate")
            close(c.standardError, Double(row[2]), "\(c.term) se")
        }
        let tests = try Self.oracle("oracle_wald.csv")
        #expect(w.model.tests.map(\.term) == tests.map { $0[0] })
        for (t, row) in zip(w.model.tests, tests) {
            close(t.f, Double(row[1]), "\(t.term) F")
            close(Double(t.df), Double(row[2]), "\(t.term) df")
            close(t.ddf, Double(row[3]), "\(t.term) ddf")
            close(t.p, Double(row[4]), "\(t.term) p")
        }
    }

    @Test func propensitiesAndAdjustedWeightsMatchRAndCapsCountWhatTheyLower() throws {
        let rows = try Self.oracle("oracle_weights.csv")
        let summary = Dictionary(uniqueKeysWithValues: try Self.oracle("oracle_summary.csv").map { ($0[0], Double($0[1])!) })
        let plain = try Self.weights()
        let q99 = try Self.weights(cap: .quantile(0.99))
        let max300 = try Self.weights(cap: .maximum(300))
        #expect(plain.responders.map(\.id) == rows.map { $0[0] })
        for (i, row) in rows.enumerated() {
            close(plain.responders[i].propensity, Double(row[1]), "\(row[0]) propensity")
            close(plain.responders[i].weight, Double(row[2]), "\(row[0]) W0/p")
            close(q99.responders[i].weight, Double(row[3]), "\(row[0]) capped at q99")
            close(max300.responders[i].weight, Double(row[4]), "\(row[0]) capped at 300")
        }
        #expect(plain.cap == nil && plain.capped == 0)
        close(q99.cap, summary["q99"], "quantile(type = 7)")
        #expect(Double(q99.capped) == summary["capped_q99"])
        #expect(Double(max300.capped) == summary["capped_max"] && max300.capped > 0)
        // The file linked back: id, propensity and weight at full precision.
        let lines = q99.csv(weightName: "W_NR").split(separator: "\n")
        #expect(lines.first == "id,propensity,W_NR" && lines.count == rows.count + 1)
        let first = lines[1].split(separator: ",")
        close(Double(first[2]), Double(rows[0][3]), "written weight")
    }

    @Test func weightDistributionMatchesRQuantileType7AndKish() throws {
        let summary = Dictionary(uniqueKeysWithValues: try Self.oracle("oracle_summary.csv").map { ($0[0], Double($0[1])!) })
        let s = WeightSummary(try Self.weights().responders.map(\.weight))
        close(s.minimum, summary["min"], "min")
        close(s.lowerQuartile, summary["q1"], "q1")
        close(s.median, summary["median"], "median")
        close(s.upperQuartile, summary["q3"], "q3")
        close(s.maximum, summary["max"], "max")
        close(s.kish, summary["kish_new"], "Kish deff")
        #expect(NonresponseWeights.quantile7([1, 2, 3, 4], 0.5) == 2.5)
        #expect(NonresponseWeights.quantile7([5, 1, 9], 1) == 9)
    }

    @Test func meansUnderTheNewAndCappedWeightsMatchSvymean() throws {
        let data = try Self.cohort()
        let oracle = Dictionary(uniqueKeysWithValues: try Self.oracle("oracle_means.csv").map { ($0[0], ($0[1], $0[2])) })
        let sets: [(String, WeightCap?)] = [("w_new", nil), ("w_q99", .quantile(0.99)), ("w_max", .maximum(300))]
        for (name, cap) in sets {
            let w = try Self.weights(cap: cap, data: data)
            let rows = w.responders.map(\.row)
            func values(_ c: String) -> [Double] { rows.map { data.column(c)!.double(at: $0)! } }
            let batch = Batch(columns: [
                Column(name: "stratum", storage: .real(values("stratum"))), Column(name: "psu", storage: .real(values("psu"))),
                Column(name: "income", storage: .real(values("income"))), Column(name: "w", storage: .real(w.responders.map(\.weight))),
            ], rowCount: rows.count)
            var estimator = try SurveyEstimator(
                design: SurveyDesign(weight: "w", strata: "stratum", clusters: ["psu"], nest: true), analyses: [.mean("income")])
            try estimator.add(batch)
            let cell = try estimator.finish().table.cells[0]
            close(cell.estimate, Double(oracle[name]!.0), "\(name) mean")
            close(cell.standardError, Double(oracle[name]!.1), "\(name) se")
        }
    }

    @Test func balanceMatchesSvymeanOnTheResponderDomain() throws {
        let data = try Self.cohort()
        let w = try Self.weights(data: data)
        let balance = try NonresponseBalance(weights: w, data: data, design: Self.design, rules: nil)
        #expect(balance.blocks.map(\.variable) == ["origin", "sex", "region"])
        #expect(balance.blocks.map(\.categorical) == [true, true, false])
        var checked = 0
        for row in try Self.oracle("oracle_balance.csv") {
            let block = try #require(balance.blocks.first { $0.variable == row[0] })
            let level: String? = row[1].isEmpty ? nil : row[1]
            close(block.cell(0, level: level)?.estimate, Double(row[2]), "\(row[0]) \(row[1]) baseline")
            close(block.cell(0, level: level)?.standardError, Double(row[3]), "\(row[0]) \(row[1]) baseline se")
            close(block.cell(1, level: level)?.estimate, Double(row[4]), "\(row[0]) \(row[1]) responders W0")
            close(block.cell(2, level: level)?.estimate, Double(row[5]), "\(row[0]) \(row[1]) responders new")
            close(block.cell(2, level: level)?.standardError, Double(row[6]), "\(row[0]) \(row[1]) responders new se")
            checked += 1
        }
        #expect(checked == 6)
    }

    /// The cohort with three more rows of a rare origin (4) and its column values as given.
    static func withRareOrigin(respond: [Double]) throws -> ModelData {
        let data = try cohort()
        var columns: [Column] = []
        for name in data.names {
            let c = data.column(name)!
            let extra: [String] = (0..<respond.count).map { k in
                switch name {
                case "id": return "X\(k)"
                case "origin": return "4"
                case "respond": return respond[k] == 1 ? "1" : "0"
                default: return c.text(at: k) ?? ""
                }
            }
            if case .text = c.storage {
                columns.append(Column(name: name, storage: .text((0..<c.count).map { c.text(at: $0) } + extra)))
            } else {
                columns.append(Column(name: name, storage: .real(c.doubles + extra.map { Double($0)! })))
            }
        }
        return ModelData(columns: columns)
    }

    @Test func aRareLevelIsWithheldInEverySampleOfTheBalanceAndItsCoefficientToo() throws {
        let data = try Self.withRareOrigin(respond: [1, 1, 0])
        let w = try Self.weights(data: data)
        let rules = try DisclosureRules.load(defaults: DisclosureRules.defaultRulesURL())
        let balance = try NonresponseBalance(weights: w, data: data, design: Self.design, rules: rules)
        let origin = try #require(balance.blocks.first { $0.variable == "origin" })
        #expect(origin.levels.contains("4"))
        #expect(origin.withheld(level: "4"))
        let checks = ModelChecks(threshold: rules.threshold, minimumResidualDegreesOfFreedom: 1)
        let publication = NonresponseReport.publication(
            w, balance: balance, checks: checks, stamp: nil, source: "cohort.csv", weightName: "W_NR", version: "test")
        let table = try #require(publication.tables.first { $0.id == "balance" })
        let row = try #require(table.rows.first { $0.label == "origin = 4" })
        #expect(row.cells.allSatisfy { $0.marker == .suppressed })
        // Secondary suppression keeps the withheld level from being recovered as 1 minus the others.
        let others = table.rows.filter { $0.label.hasPrefix("origin = ") && $0.label != "origin = 4" }
        #expect(others.contains { $0.cells.contains { $0.marker == .suppressed } })
        #expect(!table.rows.first { $0.label == "sex = 1" }!.cells.contains { $0.marker != nil })
        let coefficients = try #require(publication.tables.first { $0.id == "coefficients" })
        #expect(coefficients.rows.first { $0.label == "factor(origin)4" }?.cells.first?.marker == .suppressed)
        #expect(publication.design?.contains("treated as fixed") == true)
        let audit = NonresponseReport.outputChecks(w, balance: balance, checks: checks)
        #expect(audit.contains { $0.rule == "balance-cell" && $0.subject.hasSuffix("origin=4") && $0.withheld })
    }

    @Test func respondersDifferencedOutOfTheBaselineAreFlagged() throws {
        // Every woman responds but two: the baseline column minus the responders' leaves two people.
        let data = try Self.cohort()
        let rules = try DisclosureRules.load(defaults: DisclosureRules.defaultRulesURL())
        let sex = data.column("sex")!, respond = data.column("respond")!
        var nonresponders = (0..<data.rowCount).filter { sex.double(at: $0) == 2 && respond.double(at: $0) == 0 }
        nonresponders.removeFirst(2)
        var r = respond.doubles
        for i in nonresponders { r[i] = 1 }
        let changed = ModelData(columns: data.names.map { $0 == "respond" ? Column(name: "respond", storage: .real(r)) : data.column($0)! })
        let w = try Self.weights(data: changed)
        let balance = try NonresponseBalance(weights: w, data: changed, design: Self.design, rules: rules)
        let block = try #require(balance.blocks.first { $0.variable == "sex" })
        #expect(block.withheld(level: "2"))
        let i = try #require(block.tables[2].cells.firstIndex { $0.level == "2" })
        #expect(block.statuses![2][i].label.contains("subpop-complement"))
    }

    @Test func aResponseThatIsNotZeroOrOneNamesTheRowsAndValues() throws {
        let data = try Self.cohort()
        var values = (0..<data.rowCount).map { data.column("respond")!.text(at: $0) }
        values[4] = "2"
        values[9] = nil
        let bad = ModelData(columns: data.names.map { $0 == "respond" ? Column(name: "respond", storage: .text(values)) : data.column($0)! })
        #expect(throws: NonresponseError.responseNotBinary(
            column: "respond", count: 2, examples: [.init(row: 5, value: "'2'"), .init(row: 10, value: "missing")])) {
            try Self.weights(data: bad)
        }
        let all = ModelData(columns: data.names.map {
            $0 == "respond" ? Column(name: "respond", storage: .real(.init(repeating: 1, count: data.rowCount))) : data.column($0)!
        })
        #expect(throws: NonresponseError.responseConstant(column: "respond", value: 1)) { try Self.weights(data: all) }
    }

    @Test func repeatedIdsAreAnErrorNamingThem() throws {
        let data = try Self.cohort()
        var ids = (0..<data.rowCount).map { data.column("id")!.text(at: $0) }
        ids[7] = ids[2]
        let bad = ModelData(columns: data.names.map { $0 == "id" ? Column(name: "id", storage: .text(ids)) : data.column($0)! })
        do {
            _ = try Self.weights(data: bad)
            Issue.record("no error")
        } catch let NonresponseError.repeatedIDs(column, count, examples) {
            #expect(column == "id" && count == 1)
            #expect(examples.map(\.value) == ["C0003 on rows 3, 8"])
        }
    }

    @Test func perfectSeparationIsAClearError() throws {
        // Nobody of the rare origin responds: its coefficient runs off to minus infinity.
        let data = try Self.withRareOrigin(respond: [0, 0, 0])
        do {
            _ = try Self.weights(data: data)
            Issue.record("no error")
        } catch let NonresponseError.separation(term, patterns) {
            #expect(term == "factor(origin)4")
            #expect(patterns.count == 3 && patterns.allSatisfy { $0.hasPrefix("origin=4, sex=") })
            #expect(NonresponseError.separation(term: term, patterns: patterns).description.contains("perfect separation"))
        }
    }

    @Test func propensitiesBelowOnePercentNameTheirCovariatePattern() throws {
        // 400 rows of a rare origin of which one responds: p̂ near 1/400 on every pattern of that origin.
        var respond = [Double](repeating: 0, count: 400)
        respond[0] = 1
        let data = try Self.withRareOrigin(respond: respond)
        let w = try Self.weights(data: data)
        #expect(!w.lowPropensityPatterns.isEmpty)
        #expect(w.lowPropensityPatterns.allSatisfy { $0.description.hasPrefix("origin=4, ") && $0.propensity < 0.01 })
        #expect(w.lowPropensityPatterns.reduce(0) { $0 + $1.rows } == 400)
        #expect(try Self.weights().lowPropensityPatterns.isEmpty)
    }
}

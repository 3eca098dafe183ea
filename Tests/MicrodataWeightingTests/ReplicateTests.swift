import Testing

@testable import MicrodataWeighting

/// Replicate-weight variance (oracle cases B), from the exported replicate analysis weights.
struct ReplicateTests {
    let o = Oracle.shared
    static let jk1: Frame = {
        var f = Designs.apiclus1
        f.append(try! Frame("rep_dclus1_JK1.csv"))
        return f
    }()

    func design(_ type: ReplicateType, scale: Double?, mse: Bool = false, pattern: String = "^rw[0-9]+$") -> SurveyDesign {
        SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: pattern, type: type, scale: scale, mse: mse))
    }

    @Test func jackknife() throws {
        let d = design(.jk1, scale: 0.9148392779)
        let b01 = try Self.jk1.estimate(d, [.mean("api00"), .total("enroll"), .ratio("api.stu", "enroll")])
        expectClose(b01.table.cells[0].estimate, o("B01", "mean", "api00"))
        expectClose(b01.table.cells[0].standardError, o("B01", "SE", "api00"))
        expectClose(b01.table.cells[1].estimate, o("B02", "total", "enroll"))
        expectClose(b01.table.cells[1].standardError, o("B02", "SE", "enroll"))
        expectClose(b01.table.cells[2].estimate, o("B03", "ratio", "api.stu/enroll"))
        expectClose(b01.table.cells[2].standardError, o("B03", "SE", "api.stu/enroll"))
        #expect(b01.degreesOfFreedom == o("B25", "degf", "JK1"))
        let b04 = try Self.jk1.estimate(d, [.mean("api00")], EstimationOptions(by: ["stype"]))
        for (k, s) in ["E", "H", "M"].enumerated() {
            expectClose(b04.table.cells[k].estimate, o("B04", "api00", s))
            expectClose(b04.table.cells[k].standardError, o("B04", "se", s), "B04 \(s)")
        }
        let b05 = try Self.jk1.estimate(design(.jk1, scale: 0.9148392779, mse: true), [.mean("api00")])
        expectClose(b05.table.cells[0].estimate, o("B05", "mean", "api00"))
        expectClose(b05.table.cells[0].standardError, o("B05", "SE", "api00"))
        // Without fpc the JK1 scale is the default (R−1)/R.
        let b05b = try Self.jk1.estimate(design(.jk1, scale: nil), [.total("enroll")])
        expectClose(b05b.table.cells[0].estimate, o("B05b", "total", "enroll"))
        expectClose(b05b.table.cells[0].standardError, o("B05b", "SE", "enroll"))
    }

    @Test func jackknifeBuiltFromTheDesign() throws {
        // as.svrepdesign(dclus1, type='JK1') and (dclus1_wr, type='JK1'), without the exported weights.
        var d = Designs.dclus1
        d.jackknife = true
        let b = try Designs.apiclus1.estimate(d, [.mean("api00"), .total("enroll"), .ratio("api.stu", "enroll")])
        expectClose(b.table.cells[0].standardError, o("B01", "SE", "api00"))
        expectClose(b.table.cells[1].standardError, o("B02", "SE", "enroll"))
        expectClose(b.table.cells[2].standardError, o("B03", "SE", "api.stu/enroll"))
        let b04 = try Designs.apiclus1.estimate(d, [.mean("api00")], EstimationOptions(by: ["stype"]))
        for (k, s) in ["E", "H", "M"].enumerated() { expectClose(b04.table.cells[k].standardError, o("B04", "se", s)) }
        var wr = Designs.dclus1wr
        wr.jackknife = true
        let b05b = try Designs.apiclus1.estimate(wr, [.total("enroll")])
        expectClose(b05b.table.cells[0].estimate, o("B05b", "total", "enroll"))
        expectClose(b05b.table.cells[0].standardError, o("B05b", "SE", "enroll"))
    }

    @Test func bootstrap() throws {
        var f = Designs.apiclus1
        f.append(try Frame("rep_dclus1_boot50_seed42.csv"))
        let est = try f.estimate(design(.bootstrap, scale: 0.02186588921), [.mean("api00"), .total("enroll")])
        expectClose(est.table.cells[0].estimate, o("B17", "mean", "api00"))
        expectClose(est.table.cells[0].standardError, o("B17", "SE", "api00"))
        expectClose(est.table.cells[1].estimate, o("B18", "total", "enroll"))
        expectClose(est.table.cells[1].standardError, o("B18", "SE", "enroll"))
        #expect(est.degreesOfFreedom == o("B25", "degf", "boot"))
        var s = Designs.apistrat
        s.append(try Frame("rep_dstrat_subboot50_seed42.csv"))
        let b19 = try s.estimate(design(.subbootstrap, scale: 0.02040816327), [.mean("api00")])
        expectClose(b19.table.cells[0].estimate, o("B19", "mean", "api00"))
        expectClose(b19.table.cells[0].standardError, o("B19", "SE", "api00"))
    }

    @Test func successiveDifference() throws {
        let f = try Frame("apisrs_sdr80.csv")
        func sdr(_ mse: Bool) -> SurveyDesign {
            SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^f[0-9]+$", type: .sdr, mse: mse,
                                                                    combinedWeights: false))
        }
        let b20 = try f.estimate(sdr(false), [.mean("api00")])
        expectClose(b20.table.cells[0].estimate, o("B20", "mean", "api00"))
        expectClose(b20.table.cells[0].standardError, o("B20", "SE", "api00"))
        #expect(b20.degreesOfFreedom == o("B25", "degf", "SDR"))
        let b21 = try f.estimate(sdr(true), [.mean("api00"), .total("enroll")])
        expectClose(b21.table.cells[0].estimate, o("B21", "mean", "api00"))
        expectClose(b21.table.cells[0].standardError, o("B21", "SE", "api00"))
        expectClose(b21.table.cells[1].estimate, o("B22", "total", "enroll"))
        expectClose(b21.table.cells[1].standardError, o("B22", "SE", "enroll"))
    }
}

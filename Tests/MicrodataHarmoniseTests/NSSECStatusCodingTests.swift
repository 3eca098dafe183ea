import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Issue 24 item 6: the coding of the NS-SEC status variable is explicit and checked against the codebook.
@Suite struct NSSECStatusCodingTests {
    /// LFS INECAC05 labels (LFS user guide; 1 employee, 2 self-employed).
    static let inecac05 = ["1": "Employee", "2": "Self-employed", "3": "Government employment & training programmes",
                           "4": "Unpaid family worker", "5": "ILO unemployed"]

    @Test func anINECAC05VariableReadAsMicrodataCodesIsRefusedNamingCodeAndLabels() throws {
        var options = HarmoniseOptions()
        options.valueLabels = ["inecac05": Self.inecac05]  // lower-case names, as HarmoniseOptions.valueLabels(of:)
        let spec = try NSSECSpec(parsing: "SOC,INECAC05@MICRODATA:SOC2010:full")
        let error = #expect(throws: HarmoniseError.self) {
            _ = try Harmoniser(registry: Shipped.registry, nssec: [spec], options: options)
        }
        #expect(error?.variable == "INECAC05")
        #expect(error?.message.contains("status code 1 is labelled 'Employee'") == true)
        #expect(error?.message.contains("expects 'Employer - large organisation (25+ employees)'") == true)
        #expect(error?.message.contains("INECAC05@LFS") == true)
    }

    @Test func ONSReducedCodesReadAsFullCodesAreRefused() throws {
        var options = HarmoniseOptions()
        options.valueLabels = ["st": ["1": "Employers", "2": "Self employed - no employees", "3": "Managers",
                                      "4": "Supervisors", "5": "Other employees"]]
        #expect(throws: HarmoniseError.self) {
            _ = try Harmoniser(registry: Shipped.registry, nssec: [try NSSECSpec(parsing: "S,ST@ONS-FULL:SOC2010:full")],
                               options: options)
        }
        // The same labels fit the reduced coding.
        _ = try Harmoniser(registry: Shipped.registry, nssec: [try NSSECSpec(parsing: "S,ST@ONS-REDUCED:SOC2010:full")],
                           options: options)
    }

    @Test func aStatusVariableWithoutItsCodingIsAUsageError() {
        let error = #expect(throws: HarmoniseError.self) { _ = try NSSECSpec(parsing: "SOC10M,INECAC05:SOC2010:full") }
        #expect(error?.message.contains("say how INECAC05 is coded") == true)
        #expect(throws: HarmoniseError.self) { _ = try NSSECSpec(parsing: "SOC,ST@NOSUCH:SOC2010:full").statusCoding!.resolve(in: Shipped.registry.nssec) }
    }

    @Test func roleVariablesAreNamedInParentheses() throws {
        let spec = try NSSECSpec(parsing: "SOC10M,STAT@lfs(manager=MNG, size=WSIZE):SOC2010:full")
        let ref = try #require(spec.statusCoding)
        #expect(ref.coding == "LFS")
        let coding = try ref.resolve(in: Shipped.registry.nssec)
        #expect(coding.roles == ["activity", "employees", "manager", "size"])
        #expect(ref.roleVariables(coding) == ["STAT", "SOLOR", "MNG", "WSIZE"])
        #expect(throws: HarmoniseError.self) { _ = try NSSECStatusReference(variable: "S", coding: "LFS", variables: ["boss": "B"]).resolve(in: Shipped.registry.nssec) }
    }

    /// The ONS full method, written here from its definition (not from the shipped rules table): employers by
    /// the number of employees (25+ large), own account, managers by workplace size, supervisors, employees.
    static func expectedFullStatus(activity: Int, solo: Int?, manager: Int?, size: Int?) -> (full: Int?, reduced: Int?) {
        let large = size.map { $0 >= 5 }
        switch activity {
        case 2 where solo == 2: return (large.map { $0 ? 1 : 2 }, 1)
        case 2 where solo == 1: return (3, 2)
        case 1 where manager == 1: return (large.map { $0 ? 4 : 5 }, 3)
        case 1 where manager == 2: return (6, 4)
        case 1 where manager == 3: return (7, 5)
        default: return (nil, nil)
        }
    }

    @Test func theLFSCodingGivesTheClassesOfTheONSDerivationTable() throws {
        // The ONS SOC2010 table, read here from the fixture copy: (soc, method, status) → operational category.
        let raw = try String(contentsOf: Fixtures.url("harmonise/nssec_soc2010_derivation_long.csv"), encoding: .utf8)
        var ons: [String: String] = [:]
        for line in raw.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            ons["\(f[0])|\(f[f.count - 6])|\(f[f.count - 5])"] = f[f.count - 2]
        }
        let simplifiedRaw = try String(contentsOf: Fixtures.url("harmonise/nssec_soc2010_simplified.csv"), encoding: .utf8)
        var simplified: [String: String] = [:]
        for line in simplifiedRaw.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            simplified[f[0]] = f[f.count - 2]
        }
        var soc: [String?] = [], act: [Int64?] = [], solo: [Int64?] = [], mgr: [Int64?] = [], size: [Int64?] = []
        var expected: [String?] = []
        for unit in ["1121", "2136", "4112", "6145", "9233", "1115", "1132"] {
            for a in [1, 2] {
                for s in [nil, 1, 2] as [Int?] {
                    for m in [nil, 1, 2, 3] as [Int?] {
                        for z in [nil, 1, 4, 5, 9] as [Int?] {
                            soc.append(unit); act.append(Int64(a)); solo.append(s.map(Int64.init))
                            mgr.append(m.map(Int64.init)); size.append(z.map(Int64.init))
                            let st = Self.expectedFullStatus(activity: a, solo: s, manager: m, size: z)
                            if let full = st.full {
                                expected.append(ons["\(unit)|full|\(full)"])
                            } else if let reduced = st.reduced {
                                expected.append(ons["\(unit)|reduced|\(reduced)"])
                            } else {
                                expected.append(simplified[unit])
                            }
                        }
                    }
                }
            }
        }
        let batch = Batch(
            columns: [textColumn("SOC10M", soc), intColumn("INECAC05", act), intColumn("SOLOR", solo),
                      intColumn("MANAGER", mgr), intColumn("MPNR02", size)],
            rowCount: soc.count)
        var options = HarmoniseOptions()
        options.valueLabels = [
            "inecac05": Self.inecac05, "manager": ["1": "Manager", "2": "Foreman or supervisor", "3": "Not manager or supervisor"],
            "mpnr02": ["1": "1-10", "4": "Don't know but under 25", "5": "25-49", "9": "500 or more"],
            "solor": ["1": "On own or with partner(s) but no employees", "2": "With employees"],
        ]
        var h = try Harmoniser(
            registry: Shipped.registry, nssec: [try NSSECSpec(parsing: "SOC10M,INECAC05@LFS:SOC2010:full")], options: options)
        let out = try h.apply(batch)
        #expect(out.texts("SOC10M_nssec_op") == expected)
        #expect(expected.count == 7 * 2 * 3 * 4 * 5)
        let audit = h.audit.nssec[0]
        #expect(audit.labelsChecked == ["INECAC05", "SOLOR", "MANAGER", "MPNR02"])
        #expect(audit.statusCoding?.hasPrefix("INECAC05@LFS: nssec-status-codings") == true)
        // Employees who are managers in large workplaces are the only L2 managers of 1121 (not the 80% of everyone).
        #expect(audit.methodUsed["full", default: 0] > 0 && audit.methodUsed["reduced", default: 0] > 0)
    }

    @Test func INECAC05EmployeesNoLongerLandInTheTopClass() throws {
        // Issue 24: 1121 employees with INECAC05 = 1 were read as Microdata status 1 (large employer, L1, class 1.1).
        let batch = Batch(
            columns: [textColumn("SOC10M", ["1121", "1121"]), intColumn("INECAC05", [1, 1]), intColumn("SOLOR", [nil, nil]),
                      intColumn("MANAGER", [3, 3]), intColumn("MPNR02", [5, 1])],
            rowCount: 2)
        var h = try Harmoniser(registry: Shipped.registry, nssec: [try NSSECSpec(parsing: "SOC10M,INECAC05@LFS:SOC2010:full")])
        let out = try h.apply(batch)
        #expect(out.texts("SOC10M_nssec_op") == ["L5", "L5"])  // ONS: 1121 other employee
        #expect(out.texts("SOC10M_nssec_class8") == ["2", "2"])
        #expect(h.audit.nssec[0].labelsChecked.isEmpty)
        #expect(h.audit.text().contains("status labels NOT checked (no codebook labels): INECAC05, SOLOR, MANAGER, MPNR02"))
    }

    @Test func aUserStatusFileIsReadAndLabelledWithItsPath() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("mystatus.csv")
        try "code,full_status,reduced_status,label\nE,7,5,Employee\nM,,3,Manager\n".write(to: file, atomically: true, encoding: .utf8)
        var h = try Harmoniser(
            registry: Shipped.registry, nssec: [try NSSECSpec(parsing: "S,ST@\(file.path):SOC2010:full")])
        let out = try h.apply(Batch(columns: [textColumn("S", ["1121", "1121", "1121"]), textColumn("ST", ["E", "M", "X"])], rowCount: 3))
        #expect(out.texts("S_nssec_op") == ["L5", "L2", "L2"])  // employee full L5; manager reduced L2; X unknown → simplified L2
        #expect(out.texts("S_nssec_method") == ["full", "reduced", "simplified"])
        #expect(h.audit.nssec[0].unknownStatus == ["X": 1])
        #expect(h.audit.nssec[0].statusCoding?.contains("user file \(file.path)") == true)
    }

    @Test func labelWordsMatchWithNegationsAndPlurals() {
        #expect(NSSECStatusCoding.label("Managers - large organisations", matches: "manager large"))
        #expect(!NSSECStatusCoding.label("Not manager or supervisor", matches: "manager !not"))
        #expect(NSSECStatusCoding.label("Not manager or supervisor", matches: "not"))
        #expect(!NSSECStatusCoding.label("Employee", matches: "employer large"))
        #expect(!NSSECStatusCoding.label("Employer - large organisation (25+ employees)", matches: "employee !employer !self"))
        #expect(NSSECStatusCoding.label("Self employed - no employees", matches: "self employed|own account"))
    }
}

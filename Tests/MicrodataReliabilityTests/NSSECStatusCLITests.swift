import Foundation
import MicrodataTestSupport
import Testing

/// Issue 24 item 6: `mobility` and `harmonise` take the coding of the NS-SEC status variable explicitly and refuse
/// a codebook whose labels contradict it, instead of reading LFS INECAC05 (1 = employee) as "large employer".
@Suite(.timeLimit(.minutes(2))) struct NSSECStatusCLITests {
    static let example = Fixtures.codebook("examples/lfs-synthetic")

    func mobility(destination: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let out = try Fixtures.temporaryDirectory()
        return try CLIFailureTests.run([
            "mobility", "--data", Self.example.appendingPathComponent("lfs_synthetic_js2024.dat.gz").path,
            "--codebook", Self.example.appendingPathComponent("lfs_synthetic_js2024.xml").path,
            "--origin", "SMSOC204:SOC2020>NSSEC3", "--destination", destination, "--weight", "PWT24",
            "--output-dir", out.path,
        ])
    }

    @Test func aStatusVariableWithoutItsCodingIsRefused() throws {
        let r = try mobility(destination: "SOC20M,INECAC05:SOC2020>NSSEC3")
        #expect(r.status != 0)
        #expect(r.stderr.contains("say how INECAC05 is coded: INECAC05@LFS"), "\(r.stderr)")
    }

    @Test func INECAC05ReadAsMicrodataCodesIsRefusedByItsCodebookLabels() throws {
        let r = try mobility(destination: "SOC20M,INECAC05@MICRODATA:SOC2020>NSSEC3")
        #expect(r.status == 1)
        #expect(r.stderr.contains("variable INECAC05: status code 1 is labelled 'Employee' in the codebook, but coding "
                                  + "MICRODATA expects 'Employer - large organisation (25+ employees)'"), "\(r.stderr)")
    }

    @Test func harmoniseDerivesTheFullMethodFromTheLFSVariables() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("lfs.csv")
        try "SOC10M,INECAC05,SOLOR,MANAGER,MPNR02\n1121,1,,1,5\n1121,1,,3,5\n1121,2,2,,9\n1121,2,1,,\n1121,5,,,\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let r = try CLIFailureTests.run(["harmonise", "--data", url.path, "--nssec", "SOC10M,INECAC05@LFS:SOC2010:full"])
        #expect(r.status == 0, "\(r.stderr)")
        // ONS SOC2010 1121: manager (large) L2, other employee L5, large employer L1, own account L9.1;
        // INECAC05 5 (unemployed) has no status, so occupation only (simplified L2).
        let ops = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] }
        #expect(ops == ["L2", "L5", "L1", "L9.1", "L2"], "\(r.stdout)")
        #expect(r.stderr.contains("status labels NOT checked (no codebook labels): INECAC05, SOLOR, MANAGER, MPNR02"))
        #expect(r.stderr.contains("status codes not in the coding (occupation only): 1 records, 1 codes: 5 (1)"))
    }
}

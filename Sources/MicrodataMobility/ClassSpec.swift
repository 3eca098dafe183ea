import MicrodataHarmonise

/// How a class is read from the data: a variable's raw codes, or codes harmonised on the fly.
///
/// Written on the command line as `VAR` (raw codes), `VAR:NSSEC-OP>NSSEC8` (an NS-SEC operational category,
/// as 12.6 or L12.6, collapsed to the 8-, 5- or 3-class scheme) or `SOCVAR[,STATUSVAR@CODING]:SOC2020>NSSEC3`
/// (derived from the SOC unit group and employment status through the ONS tables, falling back from the full to
/// the reduced and simplified methods; the status coding is required, see ``NSSECStatusReference``). Education:
/// `QUALVAR[,NATIONVAR]:FROM>RQF|HIQUL22D` (highest qualification through the qualification tables, FROM `QUAL`,
/// `HIQUAL22`, `HIQUAL15`, ...; modal level) or `VAR:HIQUL22D>HIQUL22D` (codes already in the scheme), ordered with
/// "no qualifications" lowest.
public struct ClassSpec: Sendable, Hashable {
    /// Where the codes come from.
    public enum Source: Sendable, Hashable {
        /// The variable's own codes.
        case raw
        /// NS-SEC operational categories.
        case nssecOperational
        /// A SOC unit group (scheme `SOC2010` or `SOC2020`) and optionally an employment-status variable.
        case soc(scheme: String, status: String?)
        /// A qualification of scheme `from` (`QUAL` or one with a crosswalk to it), with an optional nation variable.
        case education(from: String, nation: String?)
        /// Codes already in the target scheme (e.g. HIQUL22D bands); codes outside it have no class.
        case coded
    }

    /// The education schemes (`Codebooks/mobility/class-schemes.csv`).
    public static let educationTargets = ["RQF", "HIQUL22D"]

    public var variable: String
    public var source: Source
    /// How the status variable of a `.soc` source is coded.
    public var statusCoding: NSSECStatusReference?
    /// The target scheme (`NSSEC8`, `NSSEC5`, `NSSEC3`), or `nil` for raw codes.
    public var target: String?

    public init(variable: String, source: Source, target: String?, statusCoding: NSSECStatusReference? = nil) {
        self.variable = variable
        self.source = source
        self.target = target
        self.statusCoding = statusCoding
    }

    /// Parses `VAR`, `VAR:FROM>TO` or `SOCVAR,STATUSVAR:FROM>TO`.
    ///
    /// - Throws: `MobilityError` naming the option and what was expected.
    public init(parsing text: String, option: String) throws {
        let colon = NSSECSpec.split(text, at: ":")
        let parts = colon.count > 1 ? [colon[0], colon.dropFirst().joined(separator: ":")] : colon
        let variables = NSSECSpec.split(parts[0], at: ",").filter { !$0.isEmpty }
        guard let first = variables.first, !first.isEmpty, variables.count <= 2 else {
            throw MobilityError("\(option) '\(text)': expected VAR, VAR:FROM>TO or SOCVAR,STATUSVAR:FROM>TO")
        }
        guard parts.count == 2 else {
            guard variables.count == 1 else {
                throw MobilityError("\(option) '\(text)': a status variable needs a SOC scheme, e.g. :SOC2020>NSSEC3")
            }
            self.init(variable: first, source: .raw, target: nil)
            return
        }
        let fromTo = parts[1].split(separator: ">").map { $0.uppercased() }
        if fromTo.count == 2, Self.educationTargets.contains(fromTo[1]) {
            if fromTo[0] == fromTo[1] {
                guard variables.count == 1 else { throw MobilityError("\(option) '\(text)': codes of the scheme take no nation variable") }
                self.init(variable: first, source: .coded, target: fromTo[1])
            } else {
                self.init(variable: first, source: .education(from: fromTo[0], nation: variables.count == 2 ? variables[1] : nil), target: fromTo[1])
            }
            return
        }
        let targets = ["NSSEC8", "NSSEC5", "NSSEC3"] + Self.educationTargets
        guard fromTo.count == 2, targets.contains(fromTo[1]) else {
            throw MobilityError("\(option) '\(text)': expected FROM>TO with TO one of \(targets.joined(separator: ", "))")
        }
        switch fromTo[0] {
        case "NSSEC-OP", "NSSEC":
            guard variables.count == 1 else {
                throw MobilityError("\(option) '\(text)': an operational category takes no status variable")
            }
            self.init(variable: first, source: .nssecOperational, target: fromTo[1])
        case "SOC2010", "SOC2020":
            var coding: NSSECStatusReference? = nil
            if variables.count == 2 {
                do {
                    guard let c = try NSSECStatusReference(parsing: variables[1], option: option) else {
                        throw MobilityError("\(option) '\(text)': " + NSSECSpec.codingRequired(variables[1]))
                    }
                    coding = c
                } catch let e as HarmoniseError {
                    throw MobilityError(e.message)
                }
            }
            self.init(
                variable: first, source: .soc(scheme: fromTo[0], status: coding?.variable), target: fromTo[1],
                statusCoding: coding)
        default:
            throw MobilityError(
                "\(option) '\(text)': FROM must be NSSEC-OP, SOC2010 or SOC2020, found '\(fromTo[0])'")
        }
    }

    /// The qualification step this spec needs from the harmonisation layer, if any (modal level: one class per
    /// record; a tie is reported in the harmonisation audit).
    func educationSpec(prefix: String) -> EducationSpec? {
        guard case .education(let from, let nation) = source, let target else { return nil }
        return EducationSpec(
            qualificationVariable: variable, nationVariable: nation, from: from, to: target, basis: .survey, mode: .modal,
            prefix: prefix)
    }

    /// The NS-SEC derivation this spec needs from the harmonisation layer, if any.
    func nssecSpec(prefix: String) -> NSSECSpec? {
        guard case .soc(let scheme, let status) = source else { return nil }
        return NSSECSpec(
            socVariable: variable, statusVariable: status, scheme: scheme, method: status == nil ? .simplified : .full,
            prefix: prefix, statusCoding: statusCoding)
    }
}

/// An error in a mobility request or its data.
public struct MobilityError: Error, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

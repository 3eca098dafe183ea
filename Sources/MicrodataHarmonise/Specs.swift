import Foundation
import MicrodataCodebook

/// How a source code with several targets is handled.
public enum OneToManyMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep the target with the largest weight and report the share of weight lost.
    case modal
    /// Turn the record into one row per target, splitting its survey weight by the link weights.
    case split
    /// Stop with an error at the first record whose code has several targets.
    case fail
}

extension OneToManyMode {
    /// The mode written in `text`'s last part (`nil` when none was written).
    init?(_ written: String?, option: String, text: String) throws {
        guard let written else { return nil }
        guard let m = OneToManyMode(rawValue: written.lowercased()) else {
            throw HarmoniseError("\(option) '\(text)': mode '\(written)' is not modal, split or fail")
        }
        self = m
    }

    /// The audit key of a tie among the largest shares ("code → a = b"), or `nil` when the largest is alone.
    static func tie(_ code: String, values: [String], shares: [Double]) -> String? {
        guard shares.count > 1, shares[1] == shares[0] else { return nil }
        return "\(code) → " + zip(values, shares).filter { $0.1 == shares[0] }.map(\.0).joined(separator: " = ")
    }
}

/// One code mapping, `VAR:FROM>TO[:mode]` on the command line.
public struct MappingSpec: Sendable, Hashable {
    public var variable: String
    public var from: String
    public var to: String
    /// How a code with several targets is handled; `nil` is refused for a one-to-many crosswalk.
    public var mode: OneToManyMode?
    /// A crosswalk name, when several go from `from` to `to`.
    public var crosswalk: String?
    /// A weight basis of the crosswalk; `nil` uses the sex-specific bases when a sex variable is given,
    /// else the crosswalk's default basis.
    public var basis: String?
    /// The appended column's name; default `VAR_TO`.
    public var output: String?

    public init(
        variable: String, from: String, to: String, mode: OneToManyMode? = nil, crosswalk: String? = nil,
        basis: String? = nil, output: String? = nil
    ) {
        self.variable = variable
        self.from = from
        self.to = to
        self.mode = mode
        self.crosswalk = crosswalk
        self.basis = basis
        self.output = output
    }

    /// Parses `VAR:FROM>TO[:mode]`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let arrow = parts.count >= 2 ? parts[1].split(separator: ">").map(String.init) : []
        guard (2...3).contains(parts.count), !parts[0].isEmpty, arrow.count == 2 else {
            throw HarmoniseError("--map '\(text)': expected VAR:FROM>TO[:modal|split|fail]")
        }
        let mode = try OneToManyMode(parts.count == 3 ? parts[2] : nil, option: "--map", text: text)
        self.init(variable: parts[0], from: arrow[0], to: arrow[1], mode: mode)
    }
}

/// An NS-SEC derivation, `SOCVAR,STATUSVAR@CODING:scheme:method` on the command line.
public struct NSSECSpec: Sendable, Hashable {
    public var socVariable: String
    /// The employment-status variable; `nil` only with the simplified method.
    public var statusVariable: String?
    /// How the status is coded (``NSSECStatusReference``); `nil` reads `statusVariable` as Microdata's 1–9
    /// input coding (`full`) or the ONS reduced statuses 1–5 (`reduced`). The command line requires it.
    public var statusCoding: NSSECStatusReference?
    /// SOC2010 (official ONS table) or SOC2020 (approximate unless an official table is loaded).
    public var scheme: String
    /// The most detailed method wanted; a record whose status gives only a reduced status, or none, falls
    /// back to the reduced or simplified method.
    public var method: NSSECMethod
    /// Prefix of the appended columns; default `SOCVAR_nssec`.
    public var prefix: String?

    public init(
        socVariable: String, statusVariable: String?, scheme: String, method: NSSECMethod, prefix: String? = nil,
        statusCoding: NSSECStatusReference? = nil
    ) {
        self.socVariable = socVariable
        self.statusVariable = statusVariable ?? statusCoding?.variable
        self.scheme = scheme
        self.method = method
        self.prefix = prefix
        self.statusCoding = statusCoding
    }

    /// Parses `SOCVAR,STATUSVAR@CODING:scheme:method` (`SOCVAR:scheme:simplified` needs no status).
    public init(parsing text: String) throws {
        let parts = Self.split(text, at: ":")
        guard parts.count == 3 else {
            throw HarmoniseError("--nssec '\(text)': expected SOCVAR,STATUSVAR@CODING:scheme:method")
        }
        let vars = Self.split(parts[0], at: ",")
        guard let method = NSSECMethod(rawValue: parts[2].lowercased()) else {
            throw HarmoniseError("--nssec '\(text)': method '\(parts[2])' is not full, reduced or simplified")
        }
        guard (1...2).contains(vars.count), vars.count == 2 || method == .simplified else {
            throw HarmoniseError("--nssec '\(text)': full and reduced methods need SOCVAR,STATUSVAR@CODING")
        }
        var coding: NSSECStatusReference? = nil
        if vars.count == 2 {
            guard let c = try NSSECStatusReference(parsing: vars[1], option: "--nssec") else {
                throw HarmoniseError("--nssec '\(text)': " + Self.codingRequired(vars[1]))
            }
            coding = c
        }
        self.init(
            socVariable: vars[0], statusVariable: coding?.variable, scheme: parts[1].uppercased(), method: method,
            statusCoding: coding)
    }

    /// The message for a status variable given without its coding.
    public static func codingRequired(_ variable: String) -> String {
        "say how \(variable) is coded: \(variable)@LFS (LFS INECAC05 or STAT, with MANAGER, MPNR02 and SOLOR; "
            + "rename with @LFS(manager=VAR,size=VAR,employees=VAR)), @ONS-FULL (statuses 1-7), @ONS-REDUCED (1-5), "
            + "@MICRODATA (Microdata's 1-9, nssec_status_input.csv) or @FILE.csv (columns code,full_status,reduced_status,label)"
    }

    /// Splits at `separator` outside parentheses.
    public static func split(_ text: String, at separator: Character) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == separator && depth == 0 { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        return parts
    }
}

/// A qualification harmonisation, `QUALVAR[,NATIONVAR[@SET]]:FROM>TO[:mode]` on the command line.
public struct EducationSpec: Sendable, Hashable {
    public var qualificationVariable: String
    public var nationVariable: String?
    /// The nation code set to read `nationVariable` with (`LFS-COUNTRY`, `LFS-GOVTOF2`, `GSS`, ...); `nil` picks
    /// the set named like the variable (GOVTOF2 → `LFS-GOVTOF2`), else the default sets.
    public var nationCodeSet: String?
    /// `QUAL` (the codes of `qualification_levels_long.csv`) or a scheme with a crosswalk to `QUAL` (HIQUAL22,
    /// HIQUAL15: LFS value labels, read through the codebook).
    public var from: String
    /// RQF, SCQF, EQF, NVQ, HIQUL22D or ISCED2011.
    public var to: String
    public var basis: QualificationBasis
    /// How a code with several levels is handled; `nil` is refused when any code has several.
    public var mode: OneToManyMode?
    /// Prefix of the appended columns; default `QUALVAR`.
    public var prefix: String?

    public init(
        qualificationVariable: String, nationVariable: String?, from: String = "QUAL", to: String,
        basis: QualificationBasis = .survey, mode: OneToManyMode? = nil, prefix: String? = nil
    ) {
        self.qualificationVariable = qualificationVariable
        self.nationVariable = nationVariable
        self.from = from
        self.to = to
        self.basis = basis
        self.mode = mode
        self.prefix = prefix
    }

    /// Parses `QUALVAR[,NATIONVAR[@SET]]:FROM>TO[:modal|split|fail]`.
    public init(parsing text: String, basis: QualificationBasis = .survey) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let arrow = parts.count >= 2 ? parts[1].split(separator: ">").map(String.init) : []
        let vars = parts.first.map { $0.split(separator: ",").map(String.init) } ?? []
        guard (2...3).contains(parts.count), arrow.count == 2, (1...2).contains(vars.count) else {
            throw HarmoniseError("--education '\(text)': expected QUALVAR,NATIONVAR:FROM>TO[:modal|split|fail]")
        }
        let mode = try OneToManyMode(parts.count == 3 ? parts[2] : nil, option: "--education", text: text)
        let nation = vars.count == 2 ? vars[1].split(separator: "@", maxSplits: 1).map(String.init) : []
        self.init(
            qualificationVariable: vars[0], nationVariable: nation.first, from: arrow[0].uppercased(),
            to: arrow[1].uppercased(), basis: basis, mode: mode)
        nationCodeSet = nation.count == 2 ? nation[1] : nil
    }
}

/// Options shared by every step of a run.
public struct HarmoniseOptions: Sendable, Hashable {
    /// The survey weight; split rows carry their share of it. `nil` counts every record as weight 1.
    public var weightVariable: String?
    /// The respondent's sex, for sex-specific crosswalk weights.
    public var sexVariable: String?
    public var maleCodes: Set<String>
    public var femaleCodes: Set<String>
    /// Missing-value sentinels reported separately from unknown codes (a sentinel that is a real code of the
    /// source scheme is treated as that code).
    public var missingCodes: Set<String>
    /// A regular expression naming replicate weight columns (as `--replicate-weights` elsewhere); in `split`
    /// mode they are split with the rows like ``weightVariable``.
    public var replicateWeightPattern: String?
    /// Value labels of the data's variables (variable name in lower case → code → label), from the codebook;
    /// a crosswalk keyed by label (``ManifestEntry/keyedBy``) reads codes through them, and status variables are
    /// refused when their labels do not fit the coding named for them (``NSSECStatusCoding``).
    public var valueLabels: [String: [String: String]] = [:]

    /// The value labels of every labelled variable of `codebook`, as ``valueLabels`` wants them.
    public static func valueLabels(of codebook: Codebook?) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for v in codebook?.variables ?? [] {
            let labels = v.categories.compactMap { c in c.label.map { (c.value, $0) } }
            if !labels.isEmpty { out[v.name.lowercased()] = Dictionary(labels) { a, _ in a } }
        }
        return out
    }

    /// The column a `split` mapping adds first: the source record's number (1-based), shared by its rows.
    public static let recordColumn = "harmonise_record"

    public init(
        weightVariable: String? = nil, sexVariable: String? = nil, maleCodes: Set<String> = ["1", "M", "m", "male", "Male"],
        femaleCodes: Set<String> = ["2", "F", "f", "female", "Female"], missingCodes: Set<String> = ["-1", "-7", "-8", "-9", "74"]
    ) {
        self.weightVariable = weightVariable
        self.sexVariable = sexVariable
        self.maleCodes = maleCodes
        self.femaleCodes = femaleCodes
        self.missingCodes = missingCodes
    }
}

/// Version-specific missing-value codes of one variable, turned into missing before any mapping
/// (`VAR:CODE,CODE` on the command line), e.g. IPUMS INCTOT 99999999 in one extract, 999999999 in another.
public struct MissingSpec: Sendable, Hashable {
    public var variable: String
    public var codes: [String]

    public init(variable: String, codes: [String]) {
        self.variable = variable
        self.codes = codes
    }

    /// Parses `VAR:CODE[,CODE...]`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let codes = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
        guard parts.count == 2, !parts[0].isEmpty, !codes.isEmpty, codes.allSatisfy({ !$0.isEmpty }) else {
            throw HarmoniseError("--missing '\(text)': expected VAR:CODE[,CODE...]")
        }
        self.init(variable: parts[0], codes: codes)
    }
}

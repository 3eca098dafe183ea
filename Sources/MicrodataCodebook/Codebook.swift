/// A study's metadata in one model, whatever it was read from.
///
/// DDI 2.x in every dialect (IPUMS, Nesstar, NADA, CESSDA, no namespace), and later SPSS and Stata
/// files, all produce a `Codebook`. The readers take their layouts from it.
///
/// ```swift
/// let codebook = try DDIParser().parse(contentsOf: url)
/// let age = codebook.variable(named: "AGE")
/// ```
public struct Codebook: Sendable, Hashable, Codable {
    /// Study-level description (`stdyDscr`).
    public var study: Study
    /// Data files (`fileDscr`), in document order.
    public var files: [DataFile]
    /// Variables (`dataDscr/var`), in document order.
    public var variables: [Variable]
    /// Variable groups (`dataDscr/varGrp`).
    public var groups: [VariableGroup]
    /// Where the codebook came from (a path or a description), for error messages.
    public var source: String?

    public init(
        study: Study = Study(), files: [DataFile] = [], variables: [Variable] = [],
        groups: [VariableGroup] = [], source: String? = nil
    ) {
        self.study = study
        self.files = files
        self.variables = variables
        self.groups = groups
        self.source = source
    }

    /// The variable with this name, matched case-insensitively.
    public func variable(named name: String) -> Variable? {
        if let exact = variables.first(where: { $0.name == name }) { return exact }
        let lower = name.lowercased()
        return variables.first { $0.name.lowercased() == lower }
    }

    /// The variable with this `ID` attribute (NADA and Nesstar key variables by ID).
    public func variable(id: String) -> Variable? {
        variables.first { $0.id == id }
    }

    /// Variables flagged as weights, or named like a known weight when the codebook has no flags (IPUMS).
    public var weightVariables: [Variable] {
        variables.filter(\.isWeight)
    }
}

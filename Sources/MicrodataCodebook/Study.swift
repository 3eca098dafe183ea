/// Study-level metadata from `stdyDscr` (and `docDscr` where the study lacks it).
public struct Study: Sendable, Hashable, Codable {
    /// `citation/titlStmt/titl`.
    public var title: String?
    /// `citation/titlStmt/IDNo`.
    public var idNumber: String?
    /// `IDNo/@agency` (for example `UKDA`, `datacite`).
    public var idAgency: String?
    /// A DOI, from `holdings/@URI`, `IDNo` or `serInfo` text, as written (IPUMS: `DOI:10.18128/D030.V5.0`).
    public var doi: String?
    /// `biblCit` or `citReq`: how to cite the data.
    public var citation: String?
    /// `useStmt/conditions` and `restrctn`: conditions of use.
    public var conditionsOfUse: String?
    /// `prodStmt/prodDate/@date` or its text.
    public var producerDate: String?
    /// `prodStmt/producer` entries.
    public var producers: [String]
    /// `serStmt/serName` (IPUMS: "IPUMS CPS").
    public var seriesName: String?
    /// Sample or data-collection notes, such as IPUMS sample names (`"IPUMS-CPS, January 2022"`).
    public var samples: [String]
    /// `stdyInfo/sumDscr/nation`.
    public var nations: [String]
    /// `method/dataColl/weight`: how the weights were built.
    public var weightingNote: String?
    /// `software` entries (Nesstar detection).
    public var software: [String]

    public init(
        title: String? = nil, idNumber: String? = nil, idAgency: String? = nil, doi: String? = nil,
        citation: String? = nil, conditionsOfUse: String? = nil, producerDate: String? = nil,
        producers: [String] = [], seriesName: String? = nil, samples: [String] = [], nations: [String] = [],
        weightingNote: String? = nil, software: [String] = []
    ) {
        self.title = title
        self.idNumber = idNumber
        self.idAgency = idAgency
        self.doi = doi
        self.citation = citation
        self.conditionsOfUse = conditionsOfUse
        self.producerDate = producerDate
        self.producers = producers
        self.seriesName = seriesName
        self.samples = samples
        self.nations = nations
        self.weightingNote = weightingNote
        self.software = software
    }
}

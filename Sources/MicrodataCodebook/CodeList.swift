/// A classification read from a DDI 3.x `CodeList` (3.2/3.3) or `CodeScheme` (3.1), such as UK SOC2010 or
/// ISCO-88(COM): nested codes whose labels come from referenced `Category` items.
public struct CodeList: Sendable, Hashable, Codable {
    /// `ID` child or `@id`.
    public var id: String?
    /// `Agency` / `@agency`.
    public var agency: String?
    public var version: String?
    /// `Label` of the list, by language.
    public var labels: [LocalizedText]
    /// Top-level codes (level 1), each with its children.
    public var codes: [ClassificationCode]

    public init(
        id: String? = nil, agency: String? = nil, version: String? = nil, labels: [LocalizedText] = [],
        codes: [ClassificationCode] = []
    ) {
        self.id = id
        self.agency = agency
        self.version = version
        self.labels = labels
        self.codes = codes
    }

    /// Every code, depth first in document order.
    public var allCodes: [ClassificationCode] {
        var result: [ClassificationCode] = []
        func walk(_ codes: [ClassificationCode]) {
            for code in codes {
                result.append(code)
                walk(code.children)
            }
        }
        walk(codes)
        return result
    }

    /// How many codes each level holds, top level first (SOC2010: 9, 25, 90, 369).
    public var levelCounts: [Int] {
        var counts: [Int] = []
        for code in allCodes {
            while counts.count < code.level { counts.append(0) }
            counts[code.level - 1] += 1
        }
        return counts
    }

    /// The code with this value, at any level.
    public func code(_ value: String) -> ClassificationCode? {
        allCodes.first { $0.value == value }
    }
}

/// One code of a `CodeList`.
public struct ClassificationCode: Sendable, Hashable, Codable {
    /// `Value`, as written (`"1115"`).
    public var value: String
    /// 1 for the top level.
    public var level: Int
    /// The referenced `Category` ID.
    public var categoryID: String?
    /// The category's labels, resolved from `categoryID` (empty when the reference does not resolve).
    public var labels: [LocalizedText]
    /// The category's first description, if any.
    public var description: String?
    public var children: [ClassificationCode]

    public init(
        value: String, level: Int, categoryID: String? = nil, labels: [LocalizedText] = [],
        description: String? = nil, children: [ClassificationCode] = []
    ) {
        self.value = value
        self.level = level
        self.categoryID = categoryID
        self.labels = labels
        self.description = description
        self.children = children
    }

    /// The first label.
    public var label: String? { labels.first?.text }

    /// The label in a language (`en`, `en-GB`, `fr` ... matched on prefix), falling back to the first.
    public func label(language: String) -> String? {
        labels.first { $0.language == language || ($0.language?.hasPrefix(language + "-") ?? false) }?.text ?? label
    }
}

/// One classification variable of a table: its categories, an optional overall total and an optional
/// hierarchy of subtotals (parent → children).
public struct TableDimension: Sendable, Hashable {
    public var name: String
    /// Every category code, including subtotal codes and the total code.
    public var codes: [String]
    /// The code of the overall total (the margin), if the table has one for this dimension.
    public var total: String?
    /// Subtotal codes and their children (children may themselves be subtotals).
    public var children: [String: [String]]

    /// Builds a dimension. Top-level codes (not the total and not anyone's child) become the total's
    /// children.
    ///
    /// - Throws: `DisclosureError.table` when a hierarchy names a code twice as a child or forms a cycle.
    public init(name: String, codes: [String], total: String? = nil, children: [String: [String]] = [:]) throws {
        var all = codes
        var seen = Set(codes)
        for (parent, kids) in children.sorted(by: { $0.key < $1.key }) {
            for code in [parent] + kids where !seen.contains(code) {
                seen.insert(code)
                all.append(code)
            }
        }
        if let total, !seen.contains(total) { all.append(total) }
        var parentOf: [String: String] = [:]
        for (parent, kids) in children {
            for kid in kids {
                if let other = parentOf[kid] {
                    throw DisclosureError.table(
                        source: name, line: nil, reason: "code '\(kid)' has two parents, '\(other)' and '\(parent)'")
                }
                parentOf[kid] = parent
            }
        }
        var full = children
        if let total {
            if full[total] != nil || parentOf[total] != nil {
                throw DisclosureError.table(source: name, line: nil, reason: "total '\(total)' also appears in the hierarchy")
            }
            full[total] = all.filter { $0 != total && parentOf[$0] == nil }
        }
        for code in all {
            var current = code, steps = 0
            while let up = parentOf[current] {
                current = up
                steps += 1
                if steps > all.count {
                    throw DisclosureError.table(source: name, line: nil, reason: "hierarchy has a cycle through '\(code)'")
                }
            }
        }
        self.name = name
        self.codes = all
        self.total = total
        self.children = full
    }

    /// Whether `code` is a finest category (neither a subtotal nor the total).
    public func isLeaf(_ code: String) -> Bool { children[code]?.isEmpty ?? true }
}

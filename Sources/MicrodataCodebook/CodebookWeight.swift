/// The analysis weight a codebook names, used when the command line gives none.
///
/// A codebook names a weight by flagging it (DDI `var/@wgt="wgt"`, the SPSS/Stata weight variable, or a known
/// IPUMS weight name when nothing is flagged) or by pointing other variables' statistics at it (DDI
/// `var/@wgt-var`, a list of variable IDs or names).
public enum CodebookWeight {
    /// The codebook names several weights, so none can be chosen for the user.
    public struct Ambiguous: Error, Sendable, Hashable, CustomStringConvertible {
        /// The codebook's source (file path).
        public let source: String
        /// The weight variables it names, in codebook order.
        public let names: [String]

        public var description: String {
            "\(source.isEmpty ? "the codebook" : source) names \(names.count) weight variables "
                + "(\(names.joined(separator: ", "))): choose one with --weight"
        }
    }

    /// The weight variables the codebook names, in codebook order, without repeats.
    public static func names(in codebook: Codebook) -> [String] {
        var named = Set<String>()
        for v in codebook.variables where v.isWeight { named.insert(v.name) }
        for v in codebook.variables {
            for ref in (v.weightVariable ?? "").split(whereSeparator: \.isWhitespace).map(String.init) {
                if let target = codebook.variable(id: ref) ?? codebook.variables.first(where: { $0.name == ref }) {
                    named.insert(target.name)
                }
            }
        }
        return codebook.variables.map(\.name).filter { named.remove($0) != nil }
    }

    /// The one weight the codebook names; `nil` when it names none.
    ///
    /// - Throws: ``Ambiguous`` when it names more than one.
    public static func single(in codebook: Codebook) throws(Ambiguous) -> String? {
        let found = names(in: codebook)
        guard found.count <= 1 else { throw Ambiguous(source: codebook.source ?? "", names: found) }
        return found.first
    }
}

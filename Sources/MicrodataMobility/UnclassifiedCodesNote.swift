/// The publication note listing class codes that have no NS-SEC class (left outside the table).
///
/// Each code's row count is a count of people, so under disclosure control it is published as a band: a
/// count below the threshold `T` reads "fewer than T rows" and, when any count is that small, the others
/// read "T or more rows" (so no small count can be recovered by subtracting the exact ones from the
/// published row totals). When no count is small they are exact. A table suppressed as a whole publishes
/// the codes only.
public enum UnclassifiedCodesNote {
    /// The note for `counts` (code → rows), or `nil` when there are none. `threshold` is the rules'
    /// count threshold, `nil` without disclosure control.
    public static func text(_ counts: [String: Int], threshold: Int?, withheld: Bool = false) -> String? {
        guard !counts.isEmpty else { return nil }
        let sorted = counts.sorted { $0.key < $1.key }
        let anySmall = threshold.map { t in counts.values.contains { $0 < t } } ?? false
        let listed = sorted.map { code, n -> String in
            guard let t = threshold else { return "\(code) (\(n) rows)" }
            if withheld { return code }
            if n < t { return "\(code) (fewer than \(t) rows)" }
            return anySmall ? "\(code) (\(t) or more rows)" : "\(code) (\(n) rows)"
        }
        return "Codes with no NS-SEC class, left outside the table: " + listed.joined(separator: ", ") + "."
    }
}

/// Close matches of a name that was not found, for error messages.
public enum NameSuggestions {
    /// Names equal ignoring case, containing or contained in `name`, or within edit distance 2; at most five.
    public static func closeMatches(to name: String, in names: [String]) -> [String] {
        let target = Array(name.lowercased())
        let scored = names.compactMap { candidate -> (Int, String)? in
            let c = candidate.lowercased()
            if c == name.lowercased() { return (0, candidate) }
            if c.contains(name.lowercased()) || name.lowercased().contains(c) { return (1, candidate) }
            let d = distance(target, Array(c))
            return d <= 2 ? (1 + d, candidate) : nil
        }
        return scored.sorted { $0.0 < $1.0 }.prefix(5).map(\.1)
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

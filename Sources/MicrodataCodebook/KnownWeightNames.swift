import Foundation

/// Names of weight variables in codebooks that do not flag weights (IPUMS), read from
/// `Codebooks/weights/known-weight-names.csv` (first column, `#` lines are comments).
public enum KnownWeightNames {
    /// Reads the names (upper-cased) from a CSV file whose first column is the name.
    public static func load(from url: URL) throws -> Set<String> {
        let text = try String(contentsOf: url, encoding: .utf8)
        var names = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let name = trimmed.prefix { $0 != "," }.trimmingCharacters(in: .whitespaces).uppercased()
            if name.isEmpty || name == "NAME" { continue }
            names.insert(name)
        }
        return names
    }

    /// The bundled list: `weights/known-weight-names.csv` in the `Codebooks/` folder (see ``CodebooksFolder``);
    /// `nil` if it cannot be found.
    public static func bundledURL() -> URL? {
        try? CodebooksFolder.file("weights/known-weight-names.csv")
    }

}

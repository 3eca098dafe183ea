import Foundation
import MicrodataReaders

/// Variables renamed across survey vintages: lines `OLD>NEW` (e.g. `PWT18>PWT22`), applied to every input.
/// Names match ignoring case; blank lines and lines starting with `#` are skipped.
public struct VariableRenames: Sendable, Hashable {
    /// New name by lowercased old name.
    var map: [String: String] = [:]

    public init() {}

    /// Parses the text of a renames file; `file` names it in errors.
    public init(parsing text: String, file: String) throws {
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ">", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw LinkError("line \(n + 1): expected OLD>NEW, found '\(line)'", file: file)
            }
            if let earlier = map[parts[0].lowercased()], earlier != parts[1] {
                throw LinkError("line \(n + 1): \(parts[0]) is renamed twice (to \(earlier) and \(parts[1]))", file: file)
            }
            map[parts[0].lowercased()] = parts[1]
        }
    }

    /// Reads a renames file.
    public init(contentsOf path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LinkError("cannot read the renames file: \(error.localizedDescription)", file: path)
        }
        try self.init(parsing: text, file: path)
    }

    /// `name` renamed, or unchanged.
    public func apply(_ name: String) -> String { map[name.lowercased()] ?? name }

    /// `batch` with its columns renamed; two columns ending with one name (ignoring case) is an error naming `file`.
    func apply(_ batch: Batch, file: String) throws -> Batch {
        guard !map.isEmpty else { return batch }
        var batch = batch
        var seen: [String: String] = [:]
        for i in batch.columns.indices {
            let old = batch.columns[i].name
            let new = apply(old)
            if let other = seen[new.lowercased()] {
                throw LinkError("renaming gives two columns named \(new) (from \(other) and \(old))", file: file)
            }
            seen[new.lowercased()] = old
            batch.columns[i].name = new
        }
        return batch
    }
}

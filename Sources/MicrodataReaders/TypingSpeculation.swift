/// Thrown by a delimited read with ``ReadOptions/speculativeTyping`` when a column read as numbers without
/// the typing pass holds a value that would have made it text (letters, or a number with a leading zero such
/// as `01`). The batches already handed out typed that column wrongly: the caller discards what it
/// accumulated and reads the file again without speculation, which types every column first.
public struct TypingSpeculationFailed: Error, Hashable, CustomStringConvertible {
    /// The file read.
    public var file: String
    /// The column that turned out to be text.
    public var variable: String
    /// The value that made it text.
    public var found: String

    public var description: String {
        "\(file): variable \(variable) holds \"\(found)\", so it is text: the file is read again with its columns typed first"
    }
}

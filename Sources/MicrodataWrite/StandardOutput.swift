/// Standard output with its errors checked: a full disk is ``OutputError/cannotWrite(path:reason:)`` and a
/// closed pipe (`| head`) is ``OutputError/brokenPipe(path:)``, never a crash or a silent exit 0.
public enum StandardOutput {
    /// Writes `text` to standard output, unbuffered.
    public static func write(_ text: String) throws { try OutputFile.write(text, to: nil) }

    /// Writes `bytes` to standard output, unbuffered.
    public static func write(_ bytes: [UInt8]) throws { try OutputFile.write(bytes, to: nil) }
}

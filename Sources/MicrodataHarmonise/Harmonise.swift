import MicrodataReaders
/// Harmonisation: crosswalks between code frames.
public enum Harmonise {}

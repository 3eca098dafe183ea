import MicrodataDisclosure
/// Social-mobility tables and writers.
public enum Tables {}

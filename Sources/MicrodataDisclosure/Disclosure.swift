import MicrodataWeighting
/// Disclosure control.
public enum Disclosure {}

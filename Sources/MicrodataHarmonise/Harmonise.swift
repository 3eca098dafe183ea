import MicrodataReaders

/// Harmonisation: versioned crosswalks between code frames (SOC, ISCO, NS-SEC, qualifications), applied to
/// columnar batches by ``Harmoniser`` with an ``HarmoniseAudit`` for every run.
public enum Harmonise {}

import MicrodataDisclosure

/// Social-mobility tables: origin by destination, with standard errors and disclosure control.
public enum MobilityTables {}

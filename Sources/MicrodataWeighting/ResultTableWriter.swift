import Foundation
import MicrodataReaders

/// Renders a ``ResultTable`` as CSV, JSON, Markdown or aligned text: the one place where estimates become
/// output, so that a disclosure check can wrap it.
///
/// Columns: the by-variables, `statistic`, `variable`, `level`, `estimate`, `se`, `ci_low`, `ci_high`,
/// `deff`, `df`, `n`, `weighted_n`. CSV and JSON carry full precision (shortest round-trip form); Markdown
/// and text show 6 significant digits and state the design and interval.
public enum ResultTableWriter {
    /// An output format.
    public enum Format: String, Sendable, CaseIterable {
        case csv, json, markdown, text
    }

    /// The column names, in order.
    public static func header(_ table: ResultTable) -> [String] {
        table.byVariables + ["statistic", "variable", "level", "estimate", "se", "ci_low", "ci_high", "deff", "df",
                             "n", "weighted_n"]
    }

    /// The rendered table.
    public static func render(_ table: ResultTable, format: Format) -> String {
        switch format {
        case .csv: return csv(table)
        case .json: return json(table)
        case .markdown: return markdown(table)
        case .text: return text(table)
        }
    }

    /// One line describing the design and the intervals.
    public static func designLine(_ table: ResultTable) -> String {
        let pct = formatShort(table.level * 100)
        let dist = table.usesTDistribution ? "t with design df" : "normal"
        return "design: \(table.designDescription); \(pct)% intervals, \(dist)"
    }

    static func fields(_ table: ResultTable, _ c: ResultCell, precise: Bool) -> [String] {
        func num(_ x: Double) -> String { precise ? formatFull(x) : formatShort(x) }
        return c.byValues + [
            c.statistic, c.variable, c.level ?? "", num(c.estimate), num(c.standardError), num(c.ciLow),
            num(c.ciHigh), c.designEffect.map { num($0) } ?? "", formatFull(c.degreesOfFreedom), String(c.unweightedCount),
            num(c.weightedCount),
        ]
    }

    static func csv(_ table: ResultTable) -> String {
        var out = header(table).map(csvField).joined(separator: ",") + "\n"
        for c in table.cells { out += fields(table, c, precise: true).map(csvField).joined(separator: ",") + "\n" }
        return out
    }

    static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func json(_ table: ResultTable) -> String {
        func str(_ s: String) -> String { JSONText.quoted(s) }
        func num(_ x: Double?) -> String {
            guard let x, x.isFinite else { return "null" }
            return formatFull(x)
        }
        var rows: [String] = []
        for c in table.cells {
            var parts: [String] = []
            for (k, v) in table.byVariables.enumerated() { parts.append("\(str(v)): \(str(c.byValues[k]))") }
            parts += [
                "\"statistic\": \(str(c.statistic))", "\"variable\": \(str(c.variable))",
                "\"level\": \(c.level.map(str) ?? "null")", "\"estimate\": \(num(c.estimate))",
                "\"se\": \(num(c.standardError))", "\"ci_low\": \(num(c.ciLow))", "\"ci_high\": \(num(c.ciHigh))",
                "\"deff\": \(num(c.designEffect))", "\"df\": \(num(c.degreesOfFreedom))", "\"n\": \(c.unweightedCount)",
                "\"weighted_n\": \(num(c.weightedCount))",
            ]
            rows.append("    {" + parts.joined(separator: ", ") + "}")
        }
        return """
            {
              "design": \(str(table.designDescription)),
              "level": \(formatFull(table.level)),
              "distribution": \(str(table.usesTDistribution ? "t" : "normal")),
              "cells": [
            \(rows.joined(separator: ",\n"))
              ]
            }

            """
    }

    static func markdown(_ table: ResultTable) -> String {
        let h = header(table)
        var out = "_\(designLine(table))_\n\n"
        out += "| " + h.joined(separator: " | ") + " |\n"
        out += "|" + h.map { _ in " --- |" }.joined() + "\n"
        for c in table.cells {
            out += "| " + fields(table, c, precise: false).map { $0.replacingOccurrences(of: "|", with: "\\|") }
                .joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func text(_ table: ResultTable) -> String {
        let h = header(table)
        let rows = table.cells.map { fields(table, $0, precise: false) }
        var widths = h.map(\.count)
        for r in rows { for (k, f) in r.enumerated() { widths[k] = max(widths[k], f.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { k, f in f.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = designLine(table) + "\n" + line(h) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    public static func formatFull(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func formatShort(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }
}

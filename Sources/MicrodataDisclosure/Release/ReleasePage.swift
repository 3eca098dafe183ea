import MicrodataWrite

/// `BUNDLE/index.html`: one self-contained page for the output checker (inline style, no script, no
/// external resource): who asked, then each output with its status, reasons, exception, rules and checks.
public enum ReleasePage {
    public static func html(_ summary: ReleaseSummary) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Output release bundle</title>
            <style>
            body { font-family: sans-serif; margin: 2em; max-width: 70em; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
            .pass { color: #05612b; } .review { color: #8a5300; } .fail { color: #a40000; }
            code { white-space: pre-wrap; word-break: break-all; }
            </style>
            </head>
            <body>
            <h1>Output release bundle</h1>

            """
        let counts = [OutputCheck.Status.pass, .review, .fail].map { s in "\(summary.outputs.filter { $0.status == s }.count) \(s.rawValue)" }
        out += "<p>Researcher: \(escape(summary.researcher ?? "not given")). Project: \(escape(summary.project ?? "not given")). "
            + "Created: \(escape(summary.created)).</p>\n"
        out += "<p id=\"totals\">\(summary.outputs.count) outputs: \(counts.joined(separator: ", ")).</p>\n"
        out += "<table>\n<tr><th>Output</th><th>Status</th><th>First reason</th></tr>\n"
        for (k, e) in summary.outputs.enumerated() {
            out += "<tr><td><a href=\"#output-\(k)\">\(escape(e.file))</a></td>"
                + "<td class=\"\(e.status.rawValue)\">\(e.status.rawValue)</td>"
                + "<td>\(escape(e.reasons.first ?? "all checks passed"))</td></tr>\n"
        }
        out += "</table>\n"
        for (k, e) in summary.outputs.enumerated() {
            out += "<section id=\"output-\(k)\">\n<h2>\(escape(e.file)): "
                + "<span class=\"\(e.status.rawValue)\">\(e.status.rawValue)</span></h2>\n"
            out += e.status == .fail ? "<p>Not copied into the bundle.</p>\n" : "<p>Copied into the bundle.</p>\n"
            if let exception = e.exception { out += "<p><strong>Exception:</strong> \(escape(exception))</p>\n" }
            if !e.reasons.isEmpty {
                out += "<ul>\n" + e.reasons.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
            }
            out += "<p>Command: <code>\(escape(e.command ?? "unknown (no audit)"))</code></p>\n"
            out += "<p>Rules: \(escape(e.rules ?? "none recorded"))</p>\n"
            out += "<p>SHA-256: <code>\(escape(e.sha256 ?? "unreadable"))</code></p>\n"
            if !e.checks.isEmpty {
                out += "<table>\n<tr><th>Rule</th><th>Subject</th><th>Result</th><th>Evidence</th></tr>\n"
                for c in e.checks {
                    let result = c.status.rawValue + (c.withheld ? " (withheld)" : "")
                    out += "<tr><td>\(escape(c.rule))</td><td>\(escape(c.subject))</td>"
                        + "<td class=\"\(c.effect.rawValue)\">\(escape(result))</td><td>\(escape(c.evidence))</td></tr>\n"
                }
                out += "</table>\n"
            }
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func escape(_ text: String) -> String { escapeHTML(text) }
}

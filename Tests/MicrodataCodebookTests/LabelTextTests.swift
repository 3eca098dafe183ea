import MicrodataCodebook
import Testing

/// Issue 21 §5: hostile labels in CSV, Markdown and terminal output.
struct LabelTextTests {
    @Test func csvLabelCellsStartingWithFormulaCharactersArePrefixedWithAnApostrophe() {
        #expect(LabelText.csvCell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        #expect(LabelText.csvCell("+cmd") == "'+cmd")
        #expect(LabelText.csvCell("-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0")
        #expect(LabelText.csvCell("@SUM(A1)") == "'@SUM(A1)")
        #expect(LabelText.csvCell("\tx") == "'\tx")
        #expect(LabelText.csvCell("\rx") == "'\rx")
        // Numbers, markers and ordinary labels are left alone.
        #expect(LabelText.csvCell("-5") == "-5")
        #expect(LabelText.csvCell("+1.5e3") == "+1.5e3")
        #expect(LabelText.csvCell("[c]") == "[c]")
        #expect(LabelText.csvCell("Higher managerial") == "Higher managerial")
        #expect(LabelText.csvCell("") == "")
    }

    @Test func markdownCellsEscapePipesNewlinesAndRawHTML() {
        #expect(LabelText.markdownCell("a|b") == "a\\|b")
        #expect(LabelText.markdownCell("line1\nline2\r\n") == "line1 line2 ")
        #expect(LabelText.markdownCell("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(LabelText.markdownCell("a & b") == "a &amp; b")
        #expect(LabelText.markdownCell("ends in \\") == "ends in \\\\")
        #expect(LabelText.markdownCell("`code`") == "\\`code\\`")
    }

    @Test func terminalOutputStripsControlSequencesFromLabels() {
        #expect(LabelText.terminalSafe("\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(LabelText.terminalSafe("\u{1B}]0;pwned\u{07}title") == "title")
        #expect(LabelText.terminalSafe("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "link")
        #expect(LabelText.terminalSafe("a\u{9B}2Jb") == "ab")
        #expect(LabelText.terminalSafe("bell\u{07}\u{08}\u{7F}\u{85}done") == "belldone")
        #expect(LabelText.terminalSafe("keeps\ttabs\nand newlines") == "keeps\ttabs\nand newlines")
        #expect(LabelText.terminalSafe("Café – ünïcode") == "Café – ünïcode")
    }
}

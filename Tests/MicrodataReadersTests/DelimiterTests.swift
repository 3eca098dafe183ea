import Foundation
import MicrodataCodebook
import MicrodataReaders
import Testing

/// Issue 22: comma, tab, semicolon and pipe sniffed from the header row, or given as `--delimiter`.
@Suite struct DelimiterTests {
    static func sniff(_ line: String) -> UInt8 {
        Array(line.utf8).withUnsafeBufferPointer { Delimiter.sniff($0) }
    }

    @Test func theHeadersMostFrequentDelimiterOutsideQuotesWins() {
        #expect(Self.sniff("id,region,w") == UInt8(ascii: ","))
        #expect(Self.sniff("id\tregion\tw") == 0x09)
        #expect(Self.sniff("id;region;w") == UInt8(ascii: ";"))
        #expect(Self.sniff("id|region|w") == UInt8(ascii: "|"))
        #expect(Self.sniff("\"a,b,c\";\"d\";e") == UInt8(ascii: ";"))  // commas inside quotes do not count
        #expect(Self.sniff("a,b;c") == UInt8(ascii: ","))  // a tie goes to the comma
        #expect(Self.sniff("single") == UInt8(ascii: ","))
    }

    @Test func namesOfDelimitersAreTheFourCharactersAndTab() {
        #expect(Delimiter.named(";") == UInt8(ascii: ";") && Delimiter.named("|") == UInt8(ascii: "|"))
        #expect(Delimiter.named("tab") == 0x09 && Delimiter.named("\\t") == 0x09 && Delimiter.named("\t") == 0x09)
        #expect(Delimiter.named(",") == UInt8(ascii: ","))
        #expect(Delimiter.named(":") == nil && Delimiter.named("") == nil)
    }

    @Test func semicolonAndPipeFilesReadAsTheirCommaTwin() throws {
        let comma = try readAll(try temporaryFile("id,name,score\n1,\"Smith; J\",2.5\n2,Jones,4\n", name: "c.csv"), nil)
        for (text, format) in [("id;name;score\n1;\"Smith; J\";2.5\n2;Jones;4\n", nil),
                               ("id|name|score\n1|\"Smith; J\"|2.5\n2|Jones|4\n", nil),
                               ("id|name|score\n1|\"Smith; J\"|2.5\n2|Jones|4\n", ReadOptions.DataFormat.delimited(delimiter: UInt8(ascii: "|")))] {
            let r = try readAll(try temporaryFile(text, name: "s.txt"), nil, ReadOptions(format: format))
            #expect(r.names == ["id", "name", "score"], "\(text)")
            #expect(r.texts("name") == comma.texts("name") && r.doubles("score") == comma.doubles("score"), "\(text)")
        }
    }

    @Test func aDashNamesStandardInput() {
        #expect(DataReader.dataURL("-").path == "/dev/stdin")
        #expect(DataReader.dataURL("data.csv").lastPathComponent == "data.csv")
    }
}

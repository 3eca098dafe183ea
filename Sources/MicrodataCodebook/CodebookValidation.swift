extension Codebook {
    /// Consistency checks that do not stop the codebook being used: overlapping positions within a file,
    /// record segment and record type; `sumStat` vald + invd differing from `caseQnty`; duplicate variable names
    /// within a file; record types declared in `recGrp` that no variable belongs to.
    public func validate() -> [CodebookWarning] {
        var warnings: [CodebookWarning] = []
        let singleFile = files.count == 1 ? files.first : nil
        func file(of v: Variable) -> DataFile? {
            if let id = v.files.first { return files.first { $0.id == id } ?? singleFile }
            return singleFile
        }

        // Overlaps: group by file, segment and record type; a variable of several record types joins each group.
        var groupsByKey: [String: [Int]] = [:]
        for index in variables.indices where variables[index].start != nil && variables[index].end != nil {
            let base = "\(variables[index].files.joined(separator: " "))|\(variables[index].recordSegment ?? 1)|"
            let types = variables[index].recordTypes
            for type in types.isEmpty ? [""] : types { groupsByKey[base + type, default: []].append(index) }
        }
        var reported = Set<[Int]>()
        for key in groupsByKey.keys.sorted() {
            let members = groupsByKey[key]!.sorted { (variables[$0].start!, $0) < (variables[$1].start!, $1) }
            var widest: Int? = nil
            for index in members {
                if let previous = widest, variables[index].start! <= variables[previous].end! {
                    let pair = [previous, index]
                    if reported.insert(pair).inserted {
                        let a = variables[previous]
                        let b = variables[index]
                        warnings.append(
                            CodebookWarning(
                                .overlappingPositions, variable: b.name,
                                message: "\(b.name) (\(b.start!)-\(b.end!)) overlaps \(a.name) (\(a.start!)-\(a.end!))"))
                    }
                }
                if widest == nil || variables[index].end! > variables[widest!].end! { widest = index }
            }
        }

        // Case counts.
        for index in variables.indices where !variables[index].summaryStatistics.isEmpty {
            let v = variables[index]
            guard let cases = file(of: v)?.caseCount,
                let valid = v.summaryStatistics.first(where: { $0.type == "vald" && !$0.isWeighted })?.value,
                let invalid = v.summaryStatistics.first(where: { $0.type == "invd" && !$0.isWeighted })?.value
            else { continue }
            if valid + invalid != Double(cases) {
                warnings.append(
                    CodebookWarning(
                        .caseCountMismatch, variable: v.name,
                        message: "\(v.name): vald \(Int(valid)) + invd \(Int(invalid)) differs from caseQnty \(cases)"))
            }
        }

        // Duplicate names within a file.
        var seen = Set<String>()
        for index in variables.indices {
            let name = variables[index].name
            let key = variables[index].files.joined(separator: " ") + "|" + name
            if !seen.insert(key).inserted {
                warnings.append(
                    CodebookWarning(.duplicateName, variable: name, message: "variable name \(name) appears twice"))
            }
        }

        // Record types nobody references.
        let referenced = Set(variables.flatMap(\.recordTypes))
        for f in files {
            for type in f.recordTypes where !type.code.isEmpty && !referenced.contains(type.code) {
                warnings.append(
                    CodebookWarning(
                        .unreferencedRecordType,
                        message: "record type \(type.code) (\(type.label ?? "no label")) of file \(f.name ?? f.id ?? "?") is declared but no variable belongs to it"
                    ))
            }
        }
        return warnings
    }
}

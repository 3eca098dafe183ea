/// The order `--help` prints its sections in: what the command does and how it is called, its own options, then
/// the option groups with LIMITS (rarely needed) last, the subcommands, EXAMPLES and the exit statuses.
enum HelpLayout {
    /// ArgumentParser's help text, rearranged, with the command's examples and the exit statuses added.
    static func arrange(_ help: String) -> String {
        var sections: [(name: String, lines: [String])] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let name = sectionName(line) {
                sections.append((name, [line]))
            } else if sections.isEmpty {
                sections.append(("", [line]))
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        let first = ["", "OVERVIEW", "USAGE", "ARGUMENTS", "OPTIONS"]
        let last = ["LIMITS", "SUBCOMMANDS"]
        var ordered = first.flatMap { name in sections.filter { $0.name == name } }
        ordered += sections.filter { !first.contains($0.name) && !last.contains($0.name) }
        ordered += last.flatMap { name in sections.filter { $0.name == name } }
        var text = ordered.map { section in
            var lines = section.lines
            while lines.last?.isEmpty == true { lines.removeLast() }
            return lines.joined(separator: "\n")
        }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        let command = commandName(help)
        if let examples = HelpLayout.examples[command] {
            text += "\n\nEXAMPLES:\n" + examples.map { "  " + $0 }.joined(separator: "\n")
        }
        if !command.isEmpty { text += "\n\n" + exitStatus }
        return text + "\n"
    }

    /// `OPTIONS` for `OPTIONS:`, `USAGE` for `USAGE: microdata …`; `nil` for any other line.
    static func sectionName(_ line: String) -> String? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon]
        guard let head = name.first, head.isUppercase,
              name.allSatisfy({ $0.isUppercase || $0 == " " || $0 == "-" || $0 == "/" || $0.isNumber })
        else { return nil }
        return String(name)
    }

    /// The subcommand whose help this is, from its USAGE line (`microdata tabulate …` → `tabulate`, `crosswalk show`
    /// → `crosswalk show`); empty for the root command.
    static func commandName(_ help: String) -> String {
        guard let usage = help.split(separator: "\n").first(where: { $0.hasPrefix("USAGE: ") }) else { return "" }
        let words = usage.dropFirst("USAGE: ".count).split(separator: " ").dropFirst()
            .prefix { !$0.hasPrefix("<") && !$0.hasPrefix("[") && !$0.hasPrefix("-") }
        return words.joined(separator: " ")
    }

    /// The exit statuses, the same for every command (the root's help has them in full).
    static let exitStatus = """
        EXIT STATUS:
          Exit status, the same for every command: 0 success; 1 runtime error (an input
          unreadable or invalid, an output not writable); 2 usage error; 3 needs review
          (the disclosure audit or output checks failed: the table is withheld, the
          audit written). See microdata --help.
        """

    /// A few commands as an analyst types them, per command.
    static let examples: [String: [String]] = [
        "": [
            "microdata demo --output-dir out/          # the main job on the bundled example",
            "microdata tabulate --data lfs.csv --weight PWT22 --mean GRSSWK --by SEX --format markdown",
            "microdata help tabulate                   # a command's options and examples",
        ],
        "tabulate": [
            "microdata tabulate --data lfs.csv --weight PWT22 --mean GRSSWK --by SEX --format markdown",
            "microdata tabulate --data apiclus1.csv --weight pw --psu dnum --proportion stype \\",
            "    --output shares.csv --title 'School types' --note 'Two-stage cluster sample.'",
            "    # shares.csv, and its title and note in shares.csv-metadata.json",
            "zcat lfs.csv.gz | microdata tabulate --data - --weight PWT22 --quantile GRSSWK:0.5",
            "microdata tabulate --data survey.txt --delimiter '|' --weight w --total income --by region --digits 3",
        ],
        "combine": [
            "parallel microdata tabulate --data {} --weight w --strata region --psu area --mean income --by sex \\",
            "    --partial {.}.partial ::: year*.csv",
            "microdata combine year*.partial --format markdown --output income.md",
            "microdata combine part1.partial part2.partial --rules rules.json --title 'Income by sex'",
        ],
        "mobility": [
            "microdata mobility --data lfs.dat.gz --codebook lfs.xml --origin 'SM_NSEC20:NSSEC-OP>NSSEC8' \\",
            "    --destination 'NSECM20:NSSEC-OP>NSSEC8' --weight PWT24 --cluster-households HSERIALP --output-dir out/",
            "microdata mobility --data cohort.csv --origin FNSSEC3 --destination B9NSSEC3 --weight B9NRWT \\",
            "    --title 'Class at 42 by father''s class' --output mobility.xlsx",
            "microdata mobility --data cohort_long.csv --imputation-id .imp --id .id --origin origin --destination destination \\",
            "    --weight w --strata stratum --psu psu --nest --output imputed.csv   # 5 imputations, Rubin's rules",
            "microdata mobility --data persons.csv --origin PARENT_NSSEC5 --destination NSSEC5 --weight PWT22 --strata GOVTOF2 \\",
            "    --psu PSU --nest --area LA --aux la.csv --formula 'claimant_rate + graduates' --zero-variance synthetic \\",
            "    --output la-mobility.csv",
        ],
        "model": [
            "microdata model --data apiclus1.csv --weight pw --psu dnum --formula 'api00 ~ ell + factor(stype)' --format text",
            "microdata model --data lfs.csv --weight PWT22 --family binomial --formula 'I(ILODEFR == 2) ~ factor(SEX)' \\",
            "    --exponentiate --output odds.csv",
            "microdata model --imputations imp1.csv,imp2.csv,imp3.csv,imp4.csv,imp5.csv --weight w \\",
            "    --formula 'earn ~ factor(origin) + sex'   # each imputation fitted, combined as mitools MIcombine",
        ],
        "sae": [
            "microdata sae --data lfs.csv --weight PWT22 --mean HOURPAY --area LA --aux la.csv --formula 'claimant_rate + factor(region)'",
            "microdata sae --data lfs.csv --weight PWT22 --proportion ILODEFR=2 --area LA --aux la.csv --formula 'claimant_rate' \\",
            "    --method fh --benchmark --population population --format json --output la.json",
            "microdata sae --direct by-la.csv --estimate estimate --se se --area LA --aux la.csv --formula 'claimant_rate'",
            "microdata sae --data persons.csv --weight PWT22 --mobility PARENT_NSSEC5,NSSEC5 --area LA --aux la.csv \\",
            "    --formula 'claimant_rate + graduates' --zero-variance synthetic --format html --output la-mobility.html",
        ],
        "check": [
            "microdata check table.csv --count n --dimensions region,sex --margins --audit audit.json --output safe.csv",
            "microdata check table.csv --count n --dimensions region --round 5",
            "microdata check protected.tab --audit-only --audit audit.json",
        ],
        "inspect": [
            "microdata inspect cps_00157.xml",
            "microdata inspect survey.sav --format json --variables AGE,SEX",
        ],
        "describe": [
            "microdata describe lfs.csv --weight PWT22",
            "microdata describe lfs.dat.gz --codebook lfs.xml --format json --output lfs-variables.json",
        ],
        "extract": [
            "microdata extract --codebook cps_00157.xml --variables AGE,SEX,INCWAGE --labels --output extract.csv",
            "microdata extract --codebook lfs.xml --data lfs.dat.gz --record-type P --format jsonl",
        ],
        "harmonise": [
            "microdata harmonise --data lfs.csv --map 'SOC20M:SOC2020>NSSEC8' --output harmonised.csv",
        ],
        "link": [
            "microdata link --data birth.csv --with age42.csv --keys BCSID --how inner --output cohort.csv",
        ],
        "weights nonresponse": [
            "microdata weights nonresponse --data bcs70_birth.csv --join bcs70_response.csv:BCSID --respond RESP42 \\",
            "    --model 'factor(FCLASS0) + factor(SEX) + factor(BIRTHREG)' --weight W0 --id BCSID --trim-quantile 0.99 \\",
            "    --name W42 --output weights42.csv --report weights42.md --format markdown",
            "microdata mobility --data cohort.csv --join weights42.csv:BCSID --origin FNSSEC3 --destination B9NSSEC3 --weight W42",
        ],
        "pool": [
            "microdata pool q3.dat.gz q4.csv --periods 2024Q3,2024Q4 --weight PWT24 --strata COUNTRY --id HSERIALP,PERSNO --output pooled.csv",
            "microdata tabulate --data pooled.csv --weight pool_weight --strata pool_stratum --mean AGE --by GOVTOF2   # the printed flags",
        ],
        "crosswalk": ["microdata crosswalk list", "microdata crosswalk show NAME CODE"],
        "codebook": ["microdata codebook export survey.sav --format ddi --output survey.xml"],
        "demo": ["microdata demo --output-dir microdata-demo"],
    ]
}

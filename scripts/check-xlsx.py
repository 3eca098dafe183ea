#!/usr/bin/env python3
"""Opens microdata XLSX workbooks with openpyxl, a reader independent of the writer (libxlsxwriter), and checks
them against the GSS guidance on releasing statistics in spreadsheets, as the tests and a reviewer use it:

    scripts/check-xlsx.py FILE.xlsx [...]

Checks: the sheets open in order Cover, Contents, Notes, the tables, Detail; the Contents sheet links to every
other sheet; every sheet but the Cover holds exactly one named Excel table whose header row is wrapped, frozen
and within set column widths; no merged cells; a table sheet has its title in A1, units in its column headers
and only numbers or the shorthand [c]/[x] in its data cells; the Notes sheet explains [c] and [x].

Prints one JSON line per workbook (sheets, tables, links) on stdout and each problem on stderr. Exit status:
0 every workbook passes, 1 a problem was found, 3 openpyxl is not installed (Debian: python3-openpyxl).
"""
import json
import sys

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries
except ImportError:
    sys.stderr.write("openpyxl is not installed: apt-get install python3-openpyxl (make deps installs it)\n")
    sys.exit(3)

FIXED_FIRST = ["Cover", "Contents", "Notes"]
MARKERS = {"[c]", "[x]"}


def check(path):
    problems = []

    def problem(text):
        problems.append(f"{path}: {text}")

    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    if names[:3] != FIXED_FIRST or names[-1] != "Detail":
        problem(f"sheets are {names}, expected Cover, Contents, Notes, the tables, then Detail")
    summary = {"file": path, "sheets": names, "tables": {}, "links": []}

    cover = wb["Cover"] if "Cover" in names else None
    if cover is not None and not (cover["A1"].value and cover["A1"].font.b):
        problem("Cover!A1 must hold the title in bold")

    # Contents: a hyperlink to every other sheet.
    if "Contents" in names:
        linked = set()
        for row in wb["Contents"].iter_rows(min_row=3):
            link = row[0].hyperlink
            if link is None:
                continue
            target = (link.location or "").split("!")[0].strip("'").replace("''", "'")
            summary["links"].append(target)
            if target not in names:
                problem(f"Contents links to a missing sheet '{target}'")
            linked.add(target)
        missing = [n for n in names if n not in ("Cover", "Contents") and n not in linked]
        if missing:
            problem(f"Contents has no link to {missing}")

    for name in names:
        ws = wb[name]
        if ws.merged_cells.ranges:
            problem(f"{name}: merged cells {[str(r) for r in ws.merged_cells.ranges]}")
        if name == "Cover":
            continue
        tables = list(ws.tables.values())
        if len(tables) != 1:
            problem(f"{name}: {len(tables)} named tables, expected 1")
            continue
        table = tables[0]
        summary["tables"][name] = table.displayName
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        headers = [ws.cell(row=min_row, column=c) for c in range(min_col, max_col + 1)]
        texts = [h.value for h in headers]
        if any(not isinstance(t, str) or not t for t in texts) or len(set(t.lower() for t in texts)) != len(texts):
            problem(f"{name}: header cells {texts} must be distinct texts")
        column_names = [c.name for c in table.tableColumns]
        if column_names != texts:
            problem(f"{name}: table columns {column_names} differ from the header row {texts}")
        if not all(h.alignment.wrap_text for h in headers):
            problem(f"{name}: the header row is not wrapped")
        frozen = ws.freeze_panes
        if frozen is None or openpyxl.utils.cell.coordinate_to_tuple(frozen)[0] != min_row + 1:
            problem(f"{name}: panes frozen at {frozen}, expected below the header row {min_row}")
        for c in range(min_col, max_col + 1):
            dim = ws.column_dimensions.get(get_column_letter(c))
            if dim is None or not dim.customWidth or not dim.width:
                problem(f"{name}: column {get_column_letter(c)} has no width set")
        if name in FIXED_FIRST or name == "Detail":
            continue
        # A table sheet: title first, units in the headers, numbers or shorthand in the data cells.
        if not ws["A1"].value:
            problem(f"{name}: A1 must hold the table's title")
        unit = str(ws["A2"].value or "")
        if not unit.startswith("Unit: ") or not all("(" in t or t.lower() in unit.lower() for t in texts[1:] if isinstance(t, str)):
            problem(f"{name}: column headers {texts[1:]} carry no unit")
        for row in ws.iter_rows(min_row=min_row + 1, max_row=max_row, min_col=min_col + 1, max_col=max_col):
            for cell in row:
                if not (isinstance(cell.value, (int, float)) or cell.value in MARKERS):
                    problem(f"{name}!{cell.coordinate}: {cell.value!r} is neither a number nor [c]/[x]")

    if "Notes" in names:
        notes = " ".join(str(c.value) for row in wb["Notes"].iter_rows() for c in row if c.value)
        for marker in sorted(MARKERS):
            if marker not in notes:
                problem(f"Notes does not explain {marker}")
    return summary, problems


def main(paths):
    if not paths:
        sys.stderr.write("usage: scripts/check-xlsx.py FILE.xlsx [...]\n")
        return 2
    failed = False
    for path in paths:
        try:
            summary, problems = check(path)
        except Exception as error:  # an unreadable workbook is a failure, not a crash
            summary, problems = {"file": path}, [f"{path}: openpyxl could not read it: {error}"]
        print(json.dumps(summary, sort_keys=True))
        for p in problems:
            sys.stderr.write(p + "\n")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
